//! `cargo fuzz run -s none ntlm_challenge`: runs [`fuzz_harness::ntlm::check_challenge`] (see there for what is checked).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| fuzz_harness::ntlm::check_challenge(data));
