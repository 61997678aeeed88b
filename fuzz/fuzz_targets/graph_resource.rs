//! `cargo fuzz run -s none graph_resource`: runs [`fuzz_harness::graph::check_resource`] (see there for what is checked).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::graph::check_resource(data));
