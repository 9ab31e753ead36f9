// The token services of a configured project: issuers' keys, verifiers, the API-key issuer.
#include "tokenservices.h"

#include "jwksfetcher.h"
#include "secretresolver.h"

#include "base/readfile.h"
#include "project/projectsettings.h"

#include <QDir>

namespace Gatehouse {

namespace {

constexpr qint64 kMaxKeyFileBytes = 1024 * 1024;

Result<QByteArray> readKeyFile(const QString &path)
{
    return readSmallFile(path, kMaxKeyFileBytes);
}

} // namespace

TokenServices::TokenServices(const ProjectSettings &settings, const QString &projectDir, int workerCount,
                             const TokenServices *previous, Diagnostics &diagnostics)
{
    const SecuritySettings &security = settings.security;
    const QDir dir(projectDir);
    const SourceLocation where{settings.file, 0, 0};

    // The gateway's own issuer first: it writes the JWKS file an issuer entry may point at.
    if (security.apiKeys.enabled) {
        auto issuer = ApiKeyIssuer::open(security.apiKeys, projectDir);
        if (!issuer) {
            diagnostics.error(where, QStringLiteral("API-key issuer: %1").arg(issuer.error().message));
        } else {
            m_issuer = *issuer;
            m_revocations = std::make_shared<const RevocationList>(m_issuer->revocationFile());
            TrustedIssuer own;
            own.iss = security.apiKeys.issuer;
            own.rules.issuerName = kOwnIssuerName;
            own.keys = std::make_shared<IssuerKeys>();
            own.keys->replace(std::make_shared<const QList<Jwk>>(QList<Jwk>{m_issuer->publicKey()}));
            m_apiKeys = std::make_shared<const TokenVerifier>(QList<TrustedIssuer>{own}, workerCount,
                                                              security.tokenCacheEntries, nullptr,
                                                              QStringLiteral("apikey"));
        }
    }

    if (previous)
        m_urlKeys = previous->m_urlKeys;
    decltype(m_urlKeys) usedUrlKeys;
    QList<TrustedIssuer> trusted;
    for (const JwtIssuer &i : security.issuers) {
        TrustedIssuer t;
        t.iss = i.issuer;
        t.rules = {i.name, i.audiences, qint64(i.clockSkew.count()), i.requireExp, i.claims};
        for (const QString &a : i.algorithms) {
            if (const auto alg = jwsAlgorithmFromName(a))
                t.algorithms.append(*alg);
        }
        QList<Jwk> keys;
        QString problem;
        if (!i.jwksFile.isEmpty()) {
            auto bytes = readKeyFile(dir.absoluteFilePath(i.jwksFile));
            auto parsed = bytes ? parseJwks(*bytes) : Result<QList<Jwk>>(bytes.error());
            if (parsed)
                keys += *parsed;
            else
                problem = QStringLiteral("%1: %2").arg(i.jwksFile, parsed.error().message);
        }
        if (!i.certificateFile.isEmpty() && problem.isEmpty()) {
            auto bytes = readKeyFile(dir.absoluteFilePath(i.certificateFile));
            auto parsed = bytes ? keysFromPem(*bytes) : Result<QList<Jwk>>(bytes.error());
            if (parsed)
                keys += *parsed;
            else
                problem = QStringLiteral("%1: %2").arg(i.certificateFile, parsed.error().message);
        }
        if (!i.hmacSecret.isEmpty() && problem.isEmpty()) {
            auto secret = resolveSecret(i.hmacSecret, projectDir);
            auto key = secret ? hmacKey(*secret) : Result<Jwk>(secret.error());
            if (key)
                keys.append(*key);
            else
                problem = QStringLiteral("secret: %1").arg(key.error().message);
        }
        if (!problem.isEmpty()) {
            diagnostics.error(i.location, QStringLiteral("issuer '%1': %2").arg(i.name, problem));
            continue;
        }
        if (!i.jwksUrl.isEmpty()) {
            if (!keys.isEmpty()) {
                diagnostics.warning(i.location, QStringLiteral("issuer '%1' has a jwksUrl: its other key sources "
                                                               "are not used").arg(i.name));
            }
            if (!m_fetcher)
                m_fetcher = std::shared_ptr<JwksFetcher>(new JwksFetcher, [](JwksFetcher *f) { f->deleteLater(); });
            t.keys = keysForUrl(i.jwksUrl);
            usedUrlKeys.append({i.jwksUrl, t.keys});
            t.refetchId = m_fetcher->addSource({i.name, i.jwksUrl, i.jwksRefresh, i.jwksMinRefetch, t.keys});
        } else {
            t.keys = std::make_shared<IssuerKeys>();
            t.keys->replace(std::make_shared<const QList<Jwk>>(std::move(keys)));
        }
        trusted.append(t);
    }
    m_urlKeys = usedUrlKeys;
    std::function<void(int)> refetch;
    if (m_fetcher) {
        refetch = [fetcher = m_fetcher](int id) { fetcher->requestRefetch(id); };
        m_fetcher->start();
    }
    m_bearer = std::make_shared<const TokenVerifier>(std::move(trusted), workerCount, security.tokenCacheEntries,
                                                     std::move(refetch));
}

TokenServices::~TokenServices() = default;

std::shared_ptr<IssuerKeys> TokenServices::keysForUrl(const QUrl &url) const
{
    for (const auto &[known, keys] : m_urlKeys) {
        if (known == url)
            return keys;
    }
    return std::make_shared<IssuerKeys>();
}

} // namespace Gatehouse
