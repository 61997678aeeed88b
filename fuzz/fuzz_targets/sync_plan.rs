//! `cargo fuzz run -s none sync_plan`: runs [`fuzz_harness::sync::check_plan`] (see there for what is checked).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::sync::check_plan(data));
