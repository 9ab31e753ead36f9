// Mutual TLS: the client certificate presented on the connection, verified against the HTTPS
// listener's client CA bundle, names the caller.
#pragma once

#include "authenticator.h"

#include <QHostAddress>
#include <QList>
#include <QPair>

#include <memory>

typedef struct x509_store_st X509_STORE;

namespace Gatehouse {

// The trusted client CAs of one config (OpenSSL store, read once, immutable, thread-safe).
class ClientCaStore
{
public:
    ClientCaStore(const QString &caFile, Diagnostics &diagnostics, const SourceLocation &where);
    ~ClientCaStore();
    ClientCaStore(const ClientCaStore &) = delete;
    ClientCaStore &operator=(const ClientCaStore &) = delete;
    bool isEmpty() const { return m_store == nullptr; }
    // Verifies the leaf (chain[0]) with the intermediates that follow it. Empty string when the
    // chain is trusted, else the reason.
    QString verify(const QList<QSslCertificate> &chain) const;

private:
    X509_STORE *m_store = nullptr;
};

// A client certificate forwarded by a TLS-terminating load balancer: believed only from the
// listed peers (listeners.https.clientCertificateHeader / trustedProxies).
struct ForwardedCertificate
{
    QByteArray header;                              // lowercase field name; empty = not accepted
    QList<QPair<QHostAddress, int>> trustedProxies; // subnets
    bool trusts(const QHostAddress &peer) const;
};

class MutualTlsAuthenticator final : public Authenticator
{
public:
    MutualTlsAuthenticator(std::shared_ptr<const ClientCaStore> store, ForwardedCertificate forwarded)
        : m_store(std::move(store)), m_forwarded(std::move(forwarded))
    {
    }
    QLatin1StringView method() const override { return QLatin1StringView("mtls"); }
    QByteArray challenge() const override { return {}; }
    AuthResult authenticate(RequestContext &ctx, QString &reason) const override;

private:
    std::shared_ptr<const ClientCaStore> m_store;
    ForwardedCertificate m_forwarded;
};

std::shared_ptr<const Authenticator> makeMutualTlsAuthenticator(const SecurityScheme &scheme, const Route &route,
                                                                const GatewayConfig &config,
                                                                GatewayServices &services,
                                                                Diagnostics &diagnostics);

} // namespace Gatehouse
