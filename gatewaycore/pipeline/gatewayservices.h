// Long-lived services the filters use, owned by the engine and kept across reloads: key stores,
// token caches, rate-limit counters, metrics. Filters of every config snapshot share them.
#pragma once

#include "base/diagnostic.h"

#include <QList>
#include <QSet>
#include <QString>

#include <memory>

namespace Gatehouse {

struct GatewayConfig;
class BasicUserStore;
class ClientCaStore;
class IntrospectionRuntime;
struct IntrospectionEndpoint;
class RateLimitService;
class TokenServices;

// Created and configured on the engine's thread; filters (on worker threads) only read what they
// were given when their chain was built, through shared pointers, so a reload never pulls state
// from under a request in flight.
class GatewayServices
{
public:
    GatewayServices(int workerCount, const QString &projectDir);
    ~GatewayServices();

    int workerCount() const { return m_workerCount; }
    const QString &projectDir() const { return m_projectDir; }

    // Before a new config's filter chains are built: each service takes what it needs from the
    // config (users, client CAs, issuers, tiers ...). Problems become diagnostics; with errors the
    // config is refused and the running one stays (services keep their previous state then).
    void configure(const GatewayConfig &config, Diagnostics &diagnostics);

    // A warning shown once per configure() even when every route of an API runs into it.
    void warnOnce(Diagnostics &diagnostics, const SourceLocation &where, const QString &message);

    // --- Services (each capability adds its own) ---
    std::shared_ptr<BasicUserStore> basicUsers() const { return m_basicUsers; }
    std::shared_ptr<const ClientCaStore> clientCas() const { return m_clientCas; }
    std::shared_ptr<IntrospectionRuntime> introspection() const { return m_introspection; }
    std::shared_ptr<const QList<IntrospectionEndpoint>> introspectionEndpoints() const { return m_keyManagers; }
    std::shared_ptr<RateLimitService> rateLimits() const { return m_rateLimits; }   // stores, tiers
    // Issuers' keys, token verifiers and caches, the gateway's API-key issuer (JWT, API keys).
    std::shared_ptr<const TokenServices> tokens() const { return m_tokens; }
    quint64 generation() const { return m_generation; }   // increases with every configure()

private:
    int m_workerCount;
    QString m_projectDir;
    QSet<QString> m_warned;
    std::shared_ptr<BasicUserStore> m_basicUsers;
    std::shared_ptr<const ClientCaStore> m_clientCas;
    std::shared_ptr<IntrospectionRuntime> m_introspection;   // across reloads (caches, clients)
    std::shared_ptr<const QList<IntrospectionEndpoint>> m_keyManagers;
    std::shared_ptr<RateLimitService> m_rateLimits;   // across reloads (counters, Redis connections)
    std::shared_ptr<const TokenServices> m_tokens;
    quint64 m_generation = 0;
};

} // namespace Gatehouse
