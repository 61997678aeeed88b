//! NTLM, server side: the challenge message, and verification of NTLMv2 responses (MS-NLMP).
//!
//! NTLMv1 and LM responses are refused: a client must prove the password with NTLMv2.

use hmac::{Hmac, Mac};
use md4::{Digest, Md4};
use md5::Md5;

const SIGNATURE: &[u8; 8] = b"NTLMSSP\0";

const NEGOTIATE_UNICODE: u32 = 0x0000_0001;
const REQUEST_TARGET: u32 = 0x0000_0004;
const NEGOTIATE_NTLM: u32 = 0x0000_0200;
const NEGOTIATE_ALWAYS_SIGN: u32 = 0x0000_8000;
const TARGET_TYPE_DOMAIN: u32 = 0x0001_0000;
const NEGOTIATE_EXTENDED_SESSIONSECURITY: u32 = 0x0008_0000;
const NEGOTIATE_TARGET_INFO: u32 = 0x0080_0000;

/// The NetBIOS domain the simulator's challenge names.
pub(crate) const DOMAIN: &str = "SIM";

/// The kind of an NTLM message (its `MessageType` field), if it is one.
pub(crate) fn message_type(message: &[u8]) -> Option<u32> {
    if message.get(..8)? != SIGNATURE {
        return None;
    }
    Some(u32::from_le_bytes(message.get(8..12)?.try_into().ok()?))
}

fn utf16(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn av_pair(id: u16, value: &[u8]) -> Vec<u8> {
    let mut out = id.to_le_bytes().to_vec();
    out.extend_from_slice(&u16::try_from(value.len()).unwrap_or(0).to_le_bytes());
    out.extend_from_slice(value);
    out
}

/// A CHALLENGE_MESSAGE carrying `challenge`.
pub(crate) fn challenge_message(challenge: [u8; 8]) -> Vec<u8> {
    let target_name = utf16(DOMAIN);
    let mut target_info = av_pair(2, &utf16(DOMAIN));
    target_info.extend(av_pair(1, &utf16("EXCHANGE")));
    target_info.extend(av_pair(4, &utf16("sim.example")));
    target_info.extend(av_pair(0, &[]));
    let flags = NEGOTIATE_UNICODE
        | REQUEST_TARGET
        | NEGOTIATE_NTLM
        | NEGOTIATE_ALWAYS_SIGN
        | TARGET_TYPE_DOMAIN
        | NEGOTIATE_EXTENDED_SESSIONSECURITY
        | NEGOTIATE_TARGET_INFO;
    let header_len: u32 = 48;
    let name_len = u16::try_from(target_name.len()).unwrap_or(0);
    let info_len = u16::try_from(target_info.len()).unwrap_or(0);
    let mut out = SIGNATURE.to_vec();
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(&flags.to_le_bytes());
    out.extend_from_slice(&challenge);
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&info_len.to_le_bytes());
    out.extend_from_slice(&info_len.to_le_bytes());
    out.extend_from_slice(&(header_len + u32::from(name_len)).to_le_bytes());
    out.extend_from_slice(&target_name);
    out.extend_from_slice(&target_info);
    out
}

/// What an AUTHENTICATE_MESSAGE says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Authenticate {
    pub(crate) user: String,
    pub(crate) domain: String,
    pub(crate) nt_response: Vec<u8>,
}

fn field(message: &[u8], at: usize) -> Option<&[u8]> {
    let len = usize::from(u16::from_le_bytes(
        message.get(at..at + 2)?.try_into().ok()?,
    ));
    let offset = usize::try_from(u32::from_le_bytes(
        message.get(at + 4..at + 8)?.try_into().ok()?,
    ))
    .ok()?;
    message.get(offset..offset.checked_add(len)?)
}

fn text(bytes: &[u8], unicode: bool) -> Option<String> {
    if unicode {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        String::from_utf16(&units).ok()
    } else {
        String::from_utf8(bytes.to_vec()).ok()
    }
}

/// Parses an AUTHENTICATE_MESSAGE; `None` when it is malformed.
pub(crate) fn parse_authenticate(message: &[u8]) -> Option<Authenticate> {
    if message_type(message)? != 3 {
        return None;
    }
    let flags = u32::from_le_bytes(message.get(60..64)?.try_into().ok()?);
    let unicode = flags & NEGOTIATE_UNICODE != 0;
    Some(Authenticate {
        nt_response: field(message, 20)?.to_vec(),
        domain: text(field(message, 28)?, unicode)?,
        user: text(field(message, 36)?, unicode)?,
    })
}

type HmacMd5 = Hmac<Md5>;

fn hmac_md5(key: &[u8], parts: &[&[u8]]) -> [u8; 16] {
    let mut out = [0u8; 16];
    // HMAC accepts keys of any length.
    if let Ok(mut mac) = HmacMd5::new_from_slice(key) {
        for part in parts {
            mac.update(part);
        }
        out.copy_from_slice(&mac.finalize().into_bytes());
    }
    out
}

/// NTOWFv2: the NTLMv2 response key of a user.
pub(crate) fn ntowf_v2(password: &str, user: &str, domain: &str) -> [u8; 16] {
    let nt_hash = Md4::digest(utf16(password));
    let identity = utf16(&format!("{}{domain}", user.to_uppercase()));
    hmac_md5(&nt_hash, &[&identity])
}

/// The NTProofStr of an NTLMv2 response: HMAC-MD5 over the server challenge and the client's blob.
pub(crate) fn nt_proof(key: &[u8; 16], challenge: &[u8; 8], blob: &[u8]) -> [u8; 16] {
    hmac_md5(key, &[challenge, blob])
}

/// Whether `message` proves `password` for the user it names, against `challenge` (NTLMv2 only).
pub(crate) fn verify(message: &Authenticate, password: &str, challenge: &[u8; 8]) -> bool {
    // An NTLMv2 response is the 16-byte proof followed by a blob of at least 28 bytes; NTLMv1's is 24.
    if message.nt_response.len() < 16 + 28 {
        return false;
    }
    let (proof, blob) = message.nt_response.split_at(16);
    let key = ntowf_v2(password, &message.user, &message.domain);
    nt_proof(&key, challenge, blob) == proof
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace()
            .map(|b| u8::from_str_radix(b, 16).unwrap())
            .collect()
    }

    /// MS-NLMP 4.2.4: NTLMv2 authentication test values.
    #[test]
    fn ms_nlmp_ntlmv2_vectors() {
        let key = ntowf_v2("Password", "User", "Domain");
        assert_eq!(
            key.to_vec(),
            hex("0c 86 8a 40 3b fd 7a 93 a3 00 1e f2 2e f0 2e 3f")
        );
        let challenge = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef];
        let mut blob = hex("01 01 00 00 00 00 00 00");
        blob.extend([0u8; 8]);
        blob.extend([0xaa; 8]);
        blob.extend([0u8; 4]);
        blob.extend(hex(
            "02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00 00 00 00 00",
        ));
        blob.extend([0u8; 4]);
        assert_eq!(
            nt_proof(&key, &challenge, &blob).to_vec(),
            hex("68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c")
        );
    }

    #[test]
    fn challenge_message_has_the_right_shape() {
        let message = challenge_message([9; 8]);
        assert_eq!(message_type(&message), Some(2));
        assert_eq!(&message[24..32], &[9; 8]);
        assert_eq!(message_type(b"NTLMSSP"), None);
        assert_eq!(parse_authenticate(&message), None);
    }
}
