//! `cargo fuzz run -s none soap_fault`: runs [`fuzz_harness::ews::check_fault`] (see there for what is checked).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::ews::check_fault(data));
