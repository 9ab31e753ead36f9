// The token side of the gateway's services: trusted issuers' keys (files, PEM, secrets, JWKS URLs
// fetched in the background), the verifiers and their caches, the gateway's own API-key issuer and
// its revocation list. One instance per configured project; owned by GatewayServices.
#pragma once

#include "apikeyissuer.h"
#include "revocationlist.h"
#include "tokenverifier.h"

#include "base/diagnostic.h"

#include <memory>

namespace Gatehouse {

struct ProjectSettings;
class JwksFetcher;

class TokenServices
{
public:
    // Built on the engine's thread (JWKS fetching runs there). Issuer problems become
    // diagnostics at the issuer's location; such an issuer is left out (its tokens are refused).
    // `previous` (the services of the running config, or nullptr) hands over the last good keys
    // of JWKS URLs that did not change, so a reload does not wait for a fetch.
    TokenServices(const ProjectSettings &settings, const QString &projectDir, int workerCount,
                  const TokenServices *previous, Diagnostics &diagnostics);
    ~TokenServices();

    // Tokens of the issuers in gatehouse.yaml (security.issuers), for bearer schemes.
    std::shared_ptr<const TokenVerifier> bearerTokens() const { return m_bearer; }
    // API keys: tokens of the gateway's own issuer only; nullptr when apiKeys.enabled is false or
    // its key could not be opened.
    std::shared_ptr<const TokenVerifier> apiKeys() const { return m_apiKeys; }
    std::shared_ptr<const ApiKeyIssuer> issuer() const { return m_issuer; }
    std::shared_ptr<const RevocationList> revocations() const { return m_revocations; }
    // The background fetcher (for tests: its fetched() signal), or nullptr without JWKS URLs.
    JwksFetcher *fetcher() const { return m_fetcher.get(); }

    static constexpr auto kOwnIssuerName = QLatin1StringView("gatehouse");

private:
    std::shared_ptr<IssuerKeys> keysForUrl(const QUrl &url) const;

    std::shared_ptr<const ApiKeyIssuer> m_issuer;
    std::shared_ptr<const RevocationList> m_revocations;
    std::shared_ptr<JwksFetcher> m_fetcher;
    std::shared_ptr<const TokenVerifier> m_bearer;
    std::shared_ptr<const TokenVerifier> m_apiKeys;
    QList<QPair<QUrl, std::shared_ptr<IssuerKeys>>> m_urlKeys;   // for the next configure()
};

} // namespace Gatehouse
