//! Trust anchors for the demos: the platform's store (plus a private CA file) for real servers, or
//! exactly the simulator's certificate.

use std::path::Path;
use std::sync::Arc;

use rustls::ClientConfig;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use super::{Error, Result};

fn config(roots: rustls::RootCertStore) -> Result<Arc<ClientConfig>> {
    let config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Tls(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
    Ok(Arc::new(config))
}

/// A TLS client configuration that trusts only `certificates` (DER), such as the simulator's
/// ([`exchange_sim::Simulator::certificate_der`]).
pub fn trusting(certificates: &[&[u8]]) -> Result<Arc<ClientConfig>> {
    let mut roots = rustls::RootCertStore::empty();
    for der in certificates {
        roots.add(CertificateDer::from(der.to_vec())).map_err(|e| {
            Error::Tls(format!("the certificate is not a usable trust anchor: {e}"))
        })?;
    }
    config(roots)
}

/// A TLS client configuration that trusts the platform's certificate store and, when given, the
/// certificates of a PEM file (an on-premises CA that is not in the platform store).
pub fn platform_and(ca_file: Option<&Path>) -> Result<Arc<ClientConfig>> {
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    let (added, _ignored) = roots.add_parsable_certificates(native.certs);
    if let Some(path) = ca_file {
        let shown = path.display();
        let certificates = CertificateDer::pem_file_iter(path)
            .map_err(|e| Error::Tls(format!("cannot read {shown}: {e}")))?;
        let mut found = 0usize;
        for certificate in certificates {
            let certificate =
                certificate.map_err(|e| Error::Tls(format!("{shown} is not PEM: {e}")))?;
            roots
                .add(certificate)
                .map_err(|e| Error::Tls(format!("{shown} holds an unusable certificate: {e}")))?;
            found += 1;
        }
        if found == 0 {
            return Err(Error::Tls(format!("{shown} holds no certificate")));
        }
    } else if added == 0 {
        return Err(Error::Tls(
            "the platform certificate store is empty; pass a CA file".into(),
        ));
    }
    config(roots)
}
