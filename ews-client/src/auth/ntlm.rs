//! NTLMv2 messages for HTTP (`Authorization: NTLM <base64>`), built with the `ntlmclient` crate.
//!
//! Only NTLMv2 responses are ever computed; LM and NTLMv1 are not offered. The timestamp in the
//! response is the server's (`MsvAvTimestamp`) when the challenge carries one, as MS-NLMP asks, and the
//! caller's clock otherwise.

use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ntlmclient::{Flags, Message, NegotiateMessage, TargetInfoType};

use super::NtlmCredentials;
use crate::error::{Error, Result};

/// The most target information accepted from a challenge. Real servers send a few hundred bytes; the
/// bound keeps every length in the answer within the 16-bit fields of the message format.
const MAX_TARGET_INFO_BYTES: usize = 16 * 1024;

/// Seconds from 1601-01-01 (the Windows epoch) to 1970-01-01.
const WINDOWS_TO_UNIX_EPOCH_SECONDS: u64 = 11_644_473_600;

fn offered_flags() -> Flags {
    Flags::NEGOTIATE_UNICODE
        | Flags::REQUEST_TARGET
        | Flags::NEGOTIATE_NTLM
        | Flags::NEGOTIATE_ALWAYS_SIGN
        | Flags::NEGOTIATE_NTLM2_KEY
        | Flags::NEGOTIATE_TARGET_INFO
        | Flags::NEGOTIATE_128BIT
}

/// The first leg: `NTLM <negotiate>`.
pub(crate) fn negotiate_header(credentials: &NtlmCredentials) -> Result<String> {
    let message = Message::Negotiate(NegotiateMessage {
        flags: offered_flags(),
        supplied_domain: String::new(),
        supplied_workstation: credentials.workstation.clone(),
        os_version: Default::default(),
    });
    let bytes = message
        .to_bytes()
        .map_err(|e| Error::Ntlm(format!("cannot encode the negotiate message: {e}")))?;
    Ok(format!("NTLM {}", BASE64.encode(bytes)))
}

/// The NTLM token of a `WWW-Authenticate: NTLM <token>` header among `values`, if the server sent one.
pub(crate) fn challenge_token<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    values.into_iter().find_map(|value| {
        let (scheme, token) = value.trim().split_once(' ')?;
        let token = token.trim();
        (scheme.eq_ignore_ascii_case("NTLM") && !token.is_empty()).then_some(token)
    })
}

/// The third leg: `NTLM <authenticate>` answering the base64 `challenge` with an NTLMv2 response.
pub(crate) fn authenticate_header(
    credentials: &NtlmCredentials,
    challenge: &str,
    now: SystemTime,
) -> Result<String> {
    let bytes = BASE64
        .decode(challenge.trim())
        .map_err(|e| Error::Ntlm(format!("the challenge is not base64: {e}")))?;
    let challenge = match Message::try_from(bytes.as_slice()) {
        Ok(Message::Challenge(challenge)) => challenge,
        Ok(other) => {
            return Err(Error::Ntlm(format!(
                "expected a challenge message (type 2), got type {}",
                other.message_number()
            )));
        }
        Err(e) => return Err(Error::Ntlm(format!("malformed challenge: {e}"))),
    };
    if !challenge.flags.contains(Flags::NEGOTIATE_UNICODE) {
        return Err(Error::Ntlm(
            "the server does not accept Unicode strings (NEGOTIATE_UNICODE)".into(),
        ));
    }
    let target_info: Vec<u8> = challenge
        .target_information
        .iter()
        .flat_map(|entry| entry.to_bytes())
        .collect();
    if target_info.len() > MAX_TARGET_INFO_BYTES {
        return Err(Error::Ntlm(format!(
            "the challenge's target information is {} bytes, more than the {MAX_TARGET_INFO_BYTES} accepted",
            target_info.len()
        )));
    }
    let timestamp = challenge
        .target_information
        .iter()
        .find(|entry| entry.entry_type == TargetInfoType::Timestamp)
        .and_then(|entry| <[u8; 8]>::try_from(entry.data.as_slice()).ok())
        .map(i64::from_le_bytes)
        .unwrap_or_else(|| ntlm_time(now));
    let ntlm_credentials = ntlmclient::Credentials {
        username: credentials.username.clone(),
        password: credentials.password.expose().to_owned(),
        domain: credentials.domain.clone(),
    };
    let response = ntlmclient::respond_challenge_ntlm_v2(
        challenge.challenge,
        &target_info,
        timestamp,
        &ntlm_credentials,
    );
    let flags = challenge.flags & offered_flags();
    let message = response.to_message(&ntlm_credentials, &credentials.workstation, flags);
    let bytes = message
        .to_bytes()
        .map_err(|e| Error::Ntlm(format!("cannot encode the authenticate message: {e}")))?;
    Ok(format!("NTLM {}", BASE64.encode(bytes)))
}

/// `now` in NTLM time: tenths of a microsecond since 1601-01-01.
fn ntlm_time(now: SystemTime) -> i64 {
    let since_unix = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since_unix.as_secs() + WINDOWS_TO_UNIX_EPOCH_SECONDS;
    let ticks = u128::from(seconds) * 10_000_000 + u128::from(since_unix.subsec_nanos() / 100);
    i64::try_from(ticks).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Secret;
    use ntlmclient::TargetInfoEntry;
    use proptest::prelude::*;

    fn credentials() -> NtlmCredentials {
        NtlmCredentials::new("CONTOSO\\alice", Secret::new("Pa55w0rd"))
    }

    /// A challenge message laid out by hand after MS-NLMP 2.2.1.2 (ntlmclient's own serializer puts
    /// the reserved context field in the payload, so it cannot make test input).
    fn challenge_with(target_information: Vec<TargetInfoEntry>) -> String {
        let target_name: Vec<u8> = "EXCH01".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let target_info: Vec<u8> = target_information
            .iter()
            .flat_map(|e| e.to_bytes())
            .collect();
        let header_len = 56u32;
        let flags = Flags::NEGOTIATE_UNICODE | Flags::NEGOTIATE_NTLM | Flags::NEGOTIATE_TARGET_INFO;
        let mut message = b"NTLMSSP\0".to_vec();
        message.extend_from_slice(&2u32.to_le_bytes());
        let field = |len: usize, offset: u32| {
            let len = len as u16;
            [len.to_le_bytes(), len.to_le_bytes()]
                .concat()
                .into_iter()
                .chain(offset.to_le_bytes())
                .collect::<Vec<u8>>()
        };
        message.extend(field(target_name.len(), header_len));
        message.extend_from_slice(&flags.bits().to_le_bytes());
        message.extend_from_slice(b"\x01\x23\x45\x67\x89\xab\xcd\xef");
        message.extend_from_slice(&[0; 8]);
        message.extend(field(
            target_info.len(),
            header_len + target_name.len() as u32,
        ));
        message.extend_from_slice(&[0; 8]);
        message.extend(target_name);
        message.extend(target_info);
        BASE64.encode(message)
    }

    fn decode(header: &str) -> Message {
        let token = header.strip_prefix("NTLM ").unwrap();
        Message::try_from(BASE64.decode(token).unwrap().as_slice()).unwrap()
    }

    #[test]
    fn names_split_into_domain_and_user() {
        let down_level = NtlmCredentials::new("CONTOSO\\alice", Secret::new("x"));
        assert_eq!(
            (down_level.domain(), down_level.username()),
            ("CONTOSO", "alice")
        );
        let upn = NtlmCredentials::new("alice@contoso.com", Secret::new("x"));
        assert_eq!((upn.domain(), upn.username()), ("", "alice@contoso.com"));
    }

    #[test]
    fn negotiate_offers_unicode_and_extended_session_security() {
        let header = negotiate_header(&credentials()).unwrap();
        let bytes = BASE64
            .decode(header.strip_prefix("NTLM ").unwrap())
            .unwrap();
        assert_eq!(&bytes[..12], b"NTLMSSP\0\x01\0\0\0");
        let flags = Flags::from_bits_retain(u32::from_le_bytes(bytes[12..16].try_into().unwrap()));
        assert!(flags.contains(Flags::NEGOTIATE_UNICODE | Flags::NEGOTIATE_NTLM2_KEY));
    }

    #[test]
    fn authenticate_carries_an_ntlmv2_response_with_the_servers_timestamp() {
        let server_time = 0x01DC_0000_1234_5678_i64;
        let challenge = challenge_with(vec![
            TargetInfoEntry::from_string(TargetInfoType::NtDomain, "CONTOSO"),
            TargetInfoEntry {
                entry_type: TargetInfoType::Timestamp,
                data: server_time.to_le_bytes().to_vec(),
            },
            TargetInfoEntry {
                entry_type: TargetInfoType::Terminator,
                data: Vec::new(),
            },
        ]);
        let header = authenticate_header(&credentials(), &challenge, SystemTime::now()).unwrap();
        let Message::Authenticate(auth) = decode(&header) else {
            panic!("not an authenticate message");
        };
        assert_eq!(auth.user_name, "alice");
        assert_eq!(auth.domain_name, "CONTOSO");
        // NTLMv2: 16-byte proof, then the blob (version 1.1, 6 zero bytes, timestamp...).
        assert!(auth.ntlm_response.len() > 24);
        assert_eq!(auth.ntlm_response.get(16..18), Some(&[1u8, 1][..]));
        assert_eq!(
            auth.ntlm_response.get(24..32),
            Some(&server_time.to_le_bytes()[..])
        );
    }

    #[test]
    fn a_non_challenge_message_is_refused() {
        let other = BASE64.encode(b"NTLMSSP\0\x05\0\0\0");
        let error = authenticate_header(&credentials(), &other, SystemTime::now()).unwrap_err();
        assert!(error.to_string().contains("type 5"), "{error}");
    }

    #[test]
    fn the_challenge_token_is_found_among_several_schemes() {
        let values = ["Negotiate", "NTLM TlRMTVNTUAACAAAA", "Basic realm=\"x\""];
        assert_eq!(challenge_token(values), Some("TlRMTVNTUAACAAAA"));
        assert_eq!(challenge_token(["NTLM", "Negotiate"]), None);
    }

    #[test]
    fn ntlm_time_counts_from_1601() {
        let at_unix_epoch = ntlm_time(UNIX_EPOCH);
        assert_eq!(at_unix_epoch, 116_444_736_000_000_000);
    }

    proptest! {
        #[test]
        fn any_challenge_bytes_give_a_header_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = authenticate_header(&credentials(), &BASE64.encode(&bytes), SystemTime::now());
            let mut prefixed = b"NTLMSSP\0\x02\0\0\0".to_vec();
            prefixed.extend_from_slice(&bytes);
            let _ = authenticate_header(&credentials(), &BASE64.encode(&prefixed), SystemTime::now());
        }
    }
}
