// The gateway's own issuer: key pair on first run, public JWKS, signed API keys.
#include "apikeyissuer.h"

#include "jws.h"
#include "tlscertificate.h"

#include "base/readfile.h"
#include "base/savefile.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QUuid>

#include <openssl/evp.h>
#include <openssl/pem.h>

namespace Gatehouse {

namespace {

constexpr qint64 kMaxJwksFileBytes = 1024 * 1024;

std::shared_ptr<EVP_PKEY> generateKey(JwsAlgorithm alg)
{
    EVP_PKEY *key = alg == JwsAlgorithm::ES256 ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")
                                               : EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(2048));
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

QByteArray privateKeyPem(EVP_PKEY *key)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        return {};
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(n));
}

std::shared_ptr<EVP_PKEY> readPrivateKey(const QByteArray &pem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())), BIO_free);
    EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

bool jwksHasKid(const QString &path, const QString &kid)
{
    const auto bytes = readSmallFile(path, kMaxJwksFileBytes);
    if (!bytes)
        return false;
    auto keys = parseJwks(*bytes);
    if (!keys)
        return false;
    for (const Jwk &k : *keys) {
        if (k.kid == kid)
            return true;
    }
    return false;
}

} // namespace

Result<std::shared_ptr<const ApiKeyIssuer>> ApiKeyIssuer::open(const ApiKeyIssuerSettings &settings,
                                                               const QString &projectDir)
{
    const auto alg = jwsAlgorithmFromName(settings.algorithm);
    if (!alg || (*alg != JwsAlgorithm::RS256 && *alg != JwsAlgorithm::ES256))
        return Error::config(QStringLiteral("the API-key issuer signs with RS256 or ES256, not '%1'").arg(settings.algorithm));
    // One opener at a time in a process: the workbench opens the issuer off the UI thread while
    // its gateway may start; two first runs at once would each generate and write a key pair.
    static QMutex opening;
    const QMutexLocker lock(&opening);
    const QDir dir(projectDir);
    const QString keyFile = dir.absoluteFilePath(settings.privateKeyFile);
    const QString jwksFile = dir.absoluteFilePath(settings.jwksFile);

    std::shared_ptr<EVP_PKEY> key;
    if (QFileInfo::exists(keyFile)) {
        if (auto tight = checkPrivateFilePermissions(keyFile); !tight)
            return tight.error();
        const auto pem = readSmallFile(keyFile, kMaxPrivateKeyFileBytes);
        if (!pem)
            return pem.error();
        key = readPrivateKey(*pem);
        if (!key)
            return Error::config(QStringLiteral("%1 is not a PEM private key").arg(keyFile));
        const bool isEc = EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_EC;
        if (isEc != (*alg == JwsAlgorithm::ES256)) {
            return Error::config(QStringLiteral("%1 holds %2 key but apiKeys.algorithm is %3: remove the file to "
                                                "have a new key generated, or change the algorithm")
                                     .arg(keyFile, isEc ? QStringLiteral("an EC") : QStringLiteral("an RSA"),
                                          settings.algorithm));
        }
    } else {
        key = generateKey(*alg);
        const QByteArray pem = key ? privateKeyPem(key.get()) : QByteArray();
        if (pem.isEmpty())
            return Error::internal(QStringLiteral("cannot generate the API-key signing key"));
        if (auto written = saveFile(keyFile, pem, FileAccess::OwnerOnly); !written)
            return written.error();
    }

    auto issuer = std::shared_ptr<ApiKeyIssuer>(new ApiKeyIssuer);
    issuer->m_settings = settings;
    issuer->m_private = key;
    issuer->m_alg = *alg;
    auto kid = jwkThumbprint(key.get());
    auto jwk = kid ? publicJwk(key.get(), *kid, *alg) : Result<QJsonObject>(kid.error());
    if (!jwk)
        return jwk.error();
    auto verifier = parseJwk(*jwk);
    if (!verifier)
        return verifier.error();
    issuer->m_kid = *kid;
    issuer->m_public = *verifier;
    issuer->m_jwks = QJsonDocument(QJsonObject{{QStringLiteral("keys"), QJsonArray{*jwk}}}).toJson(QJsonDocument::Indented);
    issuer->m_revocationFile = dir.absoluteFilePath(settings.revocationFile);

    if (!jwksHasKid(jwksFile, *kid)) {
        if (auto written = saveFile(jwksFile, issuer->m_jwks); !written)
            return written.error();
    }
    return std::shared_ptr<const ApiKeyIssuer>(std::move(issuer));
}

QStringList ApiKeyIssuer::reservedClaims()
{
    return {QStringLiteral("iss"), QStringLiteral("sub"), QStringLiteral("iat"), QStringLiteral("exp"),
            QStringLiteral("nbf"), QStringLiteral("jti"), QStringLiteral("keytype"), QStringLiteral("scope"),
            QStringLiteral("allowedAPIs")};
}

Result<QByteArray> ApiKeyIssuer::issue(const Request &request, qint64 now) const
{
    if (request.subject.isEmpty())
        return Error::config(QStringLiteral("an API key needs a subject"));
    const qint64 maxTtl = m_settings.maxTtl.count();
    const qint64 ttl = request.ttlSeconds > 0 ? request.ttlSeconds : qint64(m_settings.defaultTtl.count());
    if (ttl > maxTtl)
        return Error::config(QStringLiteral("a validity of %1 s exceeds apiKeys.maxTtl (%2 s)").arg(ttl).arg(maxTtl));
    for (const QString &s : request.scopes) {
        if (s.isEmpty() || s.contains(u' '))
            return Error::config(QStringLiteral("'%1' is not a scope (no spaces)").arg(s.left(40)));
    }
    const QStringList reserved = reservedClaims();
    for (auto it = request.extraClaims.begin(); it != request.extraClaims.end(); ++it) {
        if (reserved.contains(it.key()))
            return Error::config(QStringLiteral("the claim '%1' is set by the issuer itself").arg(it.key()));
    }
    QJsonObject claims = request.extraClaims;
    claims.insert(QStringLiteral("iss"), m_settings.issuer);
    claims.insert(QStringLiteral("sub"), request.subject);
    claims.insert(QStringLiteral("iat"), now);
    claims.insert(QStringLiteral("exp"), now + ttl);
    claims.insert(QStringLiteral("jti"), QUuid::createUuid().toString(QUuid::WithoutBraces));
    claims.insert(QStringLiteral("keytype"), request.keyType);
    if (!request.scopes.isEmpty())
        claims.insert(QStringLiteral("scope"), request.scopes.join(u' '));
    if (!request.allowedApis.isEmpty())
        claims.insert(QStringLiteral("allowedAPIs"), QJsonArray::fromStringList(request.allowedApis));
    return signClaims(claims);
}

Result<QByteArray> ApiKeyIssuer::signClaims(const QJsonObject &claims) const
{
    const QJsonObject header{{QStringLiteral("typ"), QStringLiteral("JWT")}, {QStringLiteral("kid"), m_kid}};
    return signCompactJws(header, QJsonDocument(claims).toJson(QJsonDocument::Compact), m_private.get(), m_alg);
}

} // namespace Gatehouse
