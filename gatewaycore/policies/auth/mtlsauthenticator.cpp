// Mutual TLS: the client certificate presented on the connection, verified against the HTTPS
// listener's client CA bundle, names the caller.
#include "mtlsauthenticator.h"

#include "pipeline/gatewayservices.h"
#include "project/gatewayconfig.h"

#include <QSslCertificate>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <memory>

namespace Gatehouse {

namespace {

struct X509Free
{
    void operator()(X509 *x) const { X509_free(x); }
};
using PeerX509Ptr = std::unique_ptr<X509, X509Free>;

PeerX509Ptr toX509(const QSslCertificate &certificate)
{
    const QByteArray der = certificate.toDer();
    const unsigned char *p = reinterpret_cast<const unsigned char *>(der.constData());
    return PeerX509Ptr(d2i_X509(nullptr, &p, long(der.size())));
}

} // namespace

ClientCaStore::ClientCaStore(const QString &caFile, Diagnostics &diagnostics, const SourceLocation &where)
{
    if (caFile.isEmpty())
        return;
    const QList<QSslCertificate> cas = QSslCertificate::fromPath(caFile, QSsl::Pem);
    if (cas.isEmpty()) {
        diagnostics.error(where, QStringLiteral("client CA file %1 holds no PEM certificate").arg(caFile));
        return;
    }
    m_store = X509_STORE_new();
    for (const QSslCertificate &ca : cas) {
        if (PeerX509Ptr x = toX509(ca))
            X509_STORE_add_cert(m_store, x.get());
    }
}

ClientCaStore::~ClientCaStore()
{
    if (m_store)
        X509_STORE_free(m_store);
}

QString ClientCaStore::verify(const QList<QSslCertificate> &chain) const
{
    if (!m_store)
        return QStringLiteral("no client CA is configured (listeners.https.clientCa)");
    if (chain.isEmpty())
        return QStringLiteral("no client certificate");
    PeerX509Ptr leaf = toX509(chain.first());
    if (!leaf)
        return QStringLiteral("the client certificate cannot be read");
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    std::vector<PeerX509Ptr> keep;
    for (qsizetype i = 1; i < chain.size(); ++i) {
        if (PeerX509Ptr x = toX509(chain.at(i))) {
            sk_X509_push(untrusted, x.get());
            keep.push_back(std::move(x));
        }
    }
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    QString reason;
    if (!ctx || X509_STORE_CTX_init(ctx, m_store, leaf.get(), untrusted) != 1) {
        reason = QStringLiteral("the client certificate cannot be verified");
    } else {
        X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
        if (X509_verify_cert(ctx) != 1)
            reason = QStringLiteral("client certificate not trusted: %1")
                         .arg(QString::fromLatin1(X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx))));
    }
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    ERR_clear_error();
    return reason;
}

bool ForwardedCertificate::trusts(const QHostAddress &peer) const
{
    for (const auto &subnet : trustedProxies) {
        if (peer.isInSubnet(subnet))
            return true;
    }
    return false;
}

AuthResult MutualTlsAuthenticator::authenticate(RequestContext &ctx, QString &reason) const
{
    QList<QSslCertificate> chain = ctx.tls ? ctx.peerCertificates() : QList<QSslCertificate>();
    if (chain.isEmpty() && !m_forwarded.header.isEmpty()) {
        // Never forwarded upstream, believed or not: the upstream must not take it for ours.
        ctx.removeUpstreamHeaders.append(m_forwarded.header);
        const QByteArrayView value = ctx.header(m_forwarded.header);
        if (!value.isEmpty() && m_forwarded.trusts(ctx.peer)) {
            chain = QSslCertificate::fromData(QByteArray::fromPercentEncoding(value.toByteArray()), QSsl::Pem);
            if (chain.isEmpty()) {
                reason = QStringLiteral("the forwarded client certificate is not URL-encoded PEM");
                return AuthResult::Invalid;
            }
        }
    }
    if (chain.isEmpty())
        return AuthResult::Missing;
    reason = m_store->verify(chain);
    if (!reason.isEmpty())
        return AuthResult::Invalid;
    const QSslCertificate &leaf = chain.first();
    const QStringList cn = leaf.subjectInfo(QSslCertificate::CommonName);
    auto principal = std::make_shared<Principal>();
    principal->method = QStringLiteral("mtls");
    principal->subject = cn.isEmpty() ? leaf.subjectDisplayName() : cn.first();
    principal->issuer = leaf.issuerDisplayName();
    principal->expiresAt = leaf.expiryDate().toSecsSinceEpoch();
    principal->tokenId = QString::fromLatin1(leaf.serialNumber());
    ctx.principal = std::move(principal);
    return AuthResult::Authenticated;
}

std::shared_ptr<const Authenticator> makeMutualTlsAuthenticator(const SecurityScheme &scheme, const Route &route,
                                                                const GatewayConfig &config,
                                                                GatewayServices &services,
                                                                Diagnostics &diagnostics)
{
    (void)route;
    auto store = services.clientCas();
    const TlsListenerSettings &https = config.settings.listeners.https;
    ForwardedCertificate forwarded;
    forwarded.header = https.clientCertificateHeader.toLatin1().toLower();
    for (const QString &proxy : https.trustedProxies) {
        forwarded.trustedProxies.append(proxy.contains(u'/') ? QHostAddress::parseSubnet(proxy)
                                                              : qMakePair(QHostAddress(proxy), proxy.contains(u':') ? 128 : 32));
    }
    if (!store || store->isEmpty()) {
        services.warnOnce(diagnostics, scheme.location,
                          QStringLiteral("security scheme '%1' (mutual TLS) needs listeners.https.clientCa; "
                                         "without it every request that needs it is refused")
                              .arg(scheme.name));
    }
    if (!store)
        store = std::make_shared<const ClientCaStore>(QString(), diagnostics, scheme.location);
    return std::make_shared<const MutualTlsAuthenticator>(std::move(store), std::move(forwarded));
}

} // namespace Gatehouse
