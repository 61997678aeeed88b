//! `cargo fuzz run -s none graph_delta`: runs [`fuzz_harness::graph::check_delta`] (see there for what is checked).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::graph::check_delta(data));
