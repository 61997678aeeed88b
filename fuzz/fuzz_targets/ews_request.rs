//! `cargo fuzz run -s none ews_request`: runs [`fuzz_harness::ews::check_request`] (see there for what is checked).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::ews::check_request(data));
