// The gateway as a token issuer: its key pair (generated on first run), its public JWKS, and the
// API keys (signed JWTs) it issues for /apikey and `gatehoused key issue`.
#pragma once

#include "jwk.h"

#include "project/projectsettings.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

#include <memory>

namespace Gatehouse {

// Immutable after open(); issue() is thread-safe.
class ApiKeyIssuer
{
public:
    // Loads settings.privateKeyFile, or generates it when missing (RS256: RSA 2048, ES256: P-256;
    // written 0600), and writes settings.jwksFile when it is missing or lacks this key. Paths are
    // relative to projectDir.
    static Result<std::shared_ptr<const ApiKeyIssuer>> open(const ApiKeyIssuerSettings &settings,
                                                            const QString &projectDir);

    struct Request
    {
        QString subject;
        QStringList scopes;
        qint64 ttlSeconds = 0;      // 0 = settings.defaultTtl; more than settings.maxTtl is refused
        QStringList allowedApis;    // API names (info.title); empty = every API
        QString keyType = QStringLiteral("PRODUCTION");
        // More claims for the payload ("tier", "application" ...). The ones the issuer sets
        // itself (reservedClaims()) are refused, so a key never lies about who issued it.
        QJsonObject extraClaims = {};
    };
    static QStringList reservedClaims();
    // A signed JWT: iss, sub, iat, exp, jti, scope (space-separated), keytype, allowedAPIs.
    // `now` in seconds since the epoch.
    Result<QByteArray> issue(const Request &request, qint64 now) const;
    // The same key signing other claims, as given (the caller sets iss, exp ...): the backend
    // JWTs the gateway forwards to upstreams (policies/backendjwt). Header: typ, kid, alg.
    Result<QByteArray> signClaims(const QJsonObject &claims) const;

    const ApiKeyIssuerSettings &settings() const { return m_settings; }
    QString kid() const { return m_kid; }
    JwsAlgorithm algorithm() const { return m_alg; }
    // The public verification key (what jwks() publishes).
    const Jwk &publicKey() const { return m_public; }
    // {"keys":[...]}: public members only.
    QByteArray jwks() const { return m_jwks; }
    // Absolute path of the revocation file.
    QString revocationFile() const { return m_revocationFile; }

private:
    ApiKeyIssuer() = default;

    ApiKeyIssuerSettings m_settings;
    std::shared_ptr<EVP_PKEY> m_private;
    JwsAlgorithm m_alg = JwsAlgorithm::RS256;
    QString m_kid;
    Jwk m_public;
    QByteArray m_jwks;
    QString m_revocationFile;
};

} // namespace Gatehouse
