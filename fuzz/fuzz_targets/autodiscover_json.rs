//! `cargo fuzz run -s none autodiscover_json`: runs [`fuzz_harness::discover::check_json`] (see there for what is checked).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::discover::check_json(data));
