//! The HTTPS certificate: made with rcgen when the simulator starts, for `localhost`, `127.0.0.1` and
//! any host names the test asks for, and handed to clients so they can trust it.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use crate::error::Error;

/// A self-signed certificate and its key.
#[derive(Debug)]
pub(crate) struct Certificate {
    pub(crate) der: CertificateDer<'static>,
    pub(crate) pem: String,
    key: Vec<u8>,
}

impl Certificate {
    pub(crate) fn generate(extra_names: &[String]) -> Result<Self, Error> {
        let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
        names.extend(extra_names.iter().cloned());
        let certified =
            rcgen::generate_simple_self_signed(names).map_err(|e| Error::Tls(e.to_string()))?;
        Ok(Certificate {
            der: certified.cert.der().clone(),
            pem: certified.cert.pem(),
            key: certified.signing_key.serialize_der(),
        })
    }

    pub(crate) fn acceptor(&self) -> Result<tokio_rustls::TlsAcceptor, Error> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key.clone()));
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Tls(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(vec![self.der.clone()], key)
            .map_err(|e| Error::Tls(e.to_string()))?;
        Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
    }
}
