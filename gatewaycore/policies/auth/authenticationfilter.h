// The authentication stage: a route's security requirements (OR of ANDs) checked with the
// authenticators of their schemes.
#pragma once

#include "authenticator.h"

#include "pipeline/filter.h"

#include <QList>

#include <memory>

namespace Gatehouse {

class AuthenticationFilter final : public Filter
{
public:
    struct Item
    {
        QString scheme;                                  // OpenAPI scheme name
        std::shared_ptr<const Authenticator> authenticator;   // nullptr: cannot be validated here
        QStringList scopes;                              // required by this requirement item
    };
    using Requirement = QList<Item>;

    // stripHeader: the credential field (lowercase) not to forward upstream once it was checked;
    // empty to forward it (security.forwardAuthorization).
    AuthenticationFilter(QList<Requirement> requirements, bool anonymousAllowed, QStringList routeScopes,
                         QByteArray stripHeader);

    Phase phase() const override { return Phase::Authn; }
    QLatin1StringView name() const override { return QLatin1StringView("authentication"); }
    FilterStatus onRequest(RequestContext &ctx) const override;

private:
    QList<Requirement> m_requirements;
    bool m_anonymousAllowed;
    QStringList m_routeScopes;
    QList<QStringList> m_requiredScopes;   // per requirement: the route's scopes and its items'
    QByteArray m_stripHeader;
    QByteArray m_challenges;   // WWW-Authenticate value: every scheme's challenge, comma-separated
};

// Pipeline stage: nullptr when the route needs no authentication.
std::shared_ptr<const Filter> makeAuthenticationFilter(const Route &route, const GatewayConfig &config,
                                                       GatewayServices &services, Diagnostics &diagnostics);

} // namespace Gatehouse
