// API keys (OpenAPI apiKey schemes, WSO2 MGW semantics): a JWT signed by the gateway's own issuer,
// read from the header, query parameter or cookie the scheme names; revocation and the key's
// allowed APIs are checked on every request.
#pragma once

#include "authenticator.h"

#include "project/apimodel.h"

#include <memory>

namespace Gatehouse {

class RevocationList;
class TokenVerifier;

class ApiKeyAuthenticator final : public Authenticator
{
public:
    struct Options
    {
        ApiKeyLocation in = ApiKeyLocation::Header;
        QByteArray name;          // header names lowercase; query and cookie names as written
        QString apiName;          // the route's API (info.title), matched against allowedAPIs
        bool stripHeader = true;  // drop the key header upstream (unless forwardAuthorization)
    };
    ApiKeyAuthenticator(std::shared_ptr<const TokenVerifier> verifier,
                        std::shared_ptr<const RevocationList> revocations, Options options);
    QLatin1StringView method() const override { return QLatin1StringView("apikey"); }
    QByteArray challenge() const override;
    AuthResult authenticate(RequestContext &ctx, QString &reason) const override;

private:
    // The key as sent: a view of the header, or of `storage` for keys decoded from the query or
    // a cookie.
    QByteArrayView credential(const RequestContext &ctx, QByteArray &storage) const;

    std::shared_ptr<const TokenVerifier> m_verifier;
    std::shared_ptr<const RevocationList> m_revocations;
    Options m_options;
};

// nullptr with an error when the project's API-key issuer is disabled or could not be opened.
std::shared_ptr<const Authenticator> makeApiKeyAuthenticator(const SecurityScheme &scheme, const Route &route,
                                                             const GatewayConfig &config,
                                                             GatewayServices &services, Diagnostics &diagnostics);

} // namespace Gatehouse
