// Server TLS material: self-signed certificate generation (OpenSSL) and listener configuration.
#include "tlscertificate.h"

#include "base/readfile.h"
#include "base/savefile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSslCertificate>
#include <QSslKey>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sys/stat.h>
#include <unistd.h>

#include <memory>

namespace Gatehouse {

namespace {

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(n));
}

bool addExtension(X509 *cert, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

} // namespace

Result<void> checkPrivateFilePermissions(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};   // opening it reports what is wrong
    const unsigned mode = st.st_mode & 07777U;
    if (st.st_uid != ::geteuid() || (mode & 077U) == 0)
        return {};
    return Error::config(QStringLiteral("%1: permissions 0%2 are too open: a private key must be accessible by its "
                                        "owner only, so it is refused (fix with: chmod 600 %1)")
                             .arg(path)
                             .arg(mode, 3, 8, QLatin1Char('0')));
}

Result<void> ensureSelfSignedCertificate(const QString &certificateFile, const QString &privateKeyFile)
{
    const bool haveCert = QFileInfo::exists(certificateFile);
    const bool haveKey = QFileInfo::exists(privateKeyFile);
    if (haveCert && haveKey)
        return {};
    if (haveCert != haveKey)
        return Error::config(QStringLiteral("%1 exists but %2 does not: provide both the certificate and "
                                            "its private key, or neither to have them generated")
                                 .arg(haveCert ? certificateFile : privateKeyFile,
                                      haveCert ? privateKeyFile : certificateFile));

    PKeyPtr key(EVP_EC_gen("P-256"));
    if (!key)
        return Error::internal(QStringLiteral("cannot generate an EC P-256 key"));
    X509Ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return Error::internal(QStringLiteral("no randomness for the certificate serial"));
    serial[0] &= 0x7f;
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * 825);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("Gatehouse"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("localhost"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (!addExtension(cert.get(), NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1")
        || !addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE")
        || !addExtension(cert.get(), NID_ext_key_usage, "serverAuth"))
        return Error::internal(QStringLiteral("cannot add certificate extensions"));
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return Error::internal(QStringLiteral("cannot sign the certificate"));

    BioPtr keyBio(BIO_new(BIO_s_mem()));
    BioPtr certBio(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1
        || PEM_write_bio_X509(certBio.get(), cert.get()) != 1)
        return Error::internal(QStringLiteral("cannot encode the certificate"));
    if (auto r = saveFile(privateKeyFile, bioBytes(keyBio.get()), FileAccess::OwnerOnly); !r)
        return r;
    return saveFile(certificateFile, bioBytes(certBio.get()));
}

Result<QSslConfiguration> serverTlsConfiguration(const QString &certificateFile,
                                                 const QString &privateKeyFile,
                                                 ClientCertMode clientCertificates,
                                                 const QString &clientCaFile,
                                                 const QStringList &alpn)
{
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(certificateFile, QSsl::Pem);
    if (chain.isEmpty())
        return Error::config(QStringLiteral("%1: no PEM certificate found").arg(certificateFile));
    if (auto tight = checkPrivateFilePermissions(privateKeyFile); !tight)
        return tight.error();
    const auto read = readSmallFile(privateKeyFile, kMaxPrivateKeyFileBytes);
    if (!read)
        return read.error();
    const QByteArray &keyPem = *read;
    QSslKey key(keyPem, QSsl::Ec, QSsl::Pem);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Rsa, QSsl::Pem);
    if (key.isNull())
        return Error::config(QStringLiteral("%1: not a PEM EC or RSA private key").arg(privateKeyFile));

    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    switch (clientCertificates) {
    case ClientCertMode::None: config.setPeerVerifyMode(QSslSocket::VerifyNone); break;
    case ClientCertMode::Request: config.setPeerVerifyMode(QSslSocket::QueryPeer); break;
    case ClientCertMode::Require: config.setPeerVerifyMode(QSslSocket::VerifyPeer); break;
    }
    if (!clientCaFile.isEmpty()) {
        const QList<QSslCertificate> cas = QSslCertificate::fromPath(clientCaFile, QSsl::Pem);
        if (cas.isEmpty())
            return Error::config(QStringLiteral("%1: no PEM CA certificate found").arg(clientCaFile));
        config.setCaCertificates(cas);
    }
    QList<QByteArray> protocols;
    for (const QString &p : alpn) {
        if (p == u"h2" || p == u"http/1.1")   // in the project's order of preference
            protocols.append(p.toLatin1());
    }
    if (protocols.isEmpty())
        protocols.append(QByteArrayLiteral("http/1.1"));
    config.setAllowedNextProtocols(protocols);
    return config;
}

} // namespace Gatehouse
