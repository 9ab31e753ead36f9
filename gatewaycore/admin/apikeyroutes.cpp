// The admin API's token routes: the issuer's JWKS and /apikey.
#include "apikeyroutes.h"

#include "engine/gatewayengine.h"
#include "pipeline/gatewayservices.h"
#include "policies/auth/basicauthenticator.h"
#include "security/apikeyrequest.h"
#include "security/passwordhash.h"
#include "security/tokenservices.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QUrlQuery>

#include <openssl/crypto.h>

#include <memory>

namespace Gatehouse {

namespace {

using Status = QHttpServerResponse::StatusCode;

// Logins verified recently (slow hashes are checked on the admin thread): SHA-256 of
// user, password and stored hash → until (seconds since the epoch).
using LoginCache = QHash<QByteArray, qint64>;
constexpr qint64 kLoginCacheSeconds = 300;
constexpr int kLoginCacheEntries = 256;

QHttpServerResponse keyError(Status status, const QString &message, const QString &description)
{
    QHttpServerResponse r(QJsonObject{{QStringLiteral("code"), QString::number(int(status))},
                                      {QStringLiteral("message"), message},
                                      {QStringLiteral("description"), description}},
                          status);
    if (status == Status::Unauthorized)
        r.addHeader("WWW-Authenticate", "Basic realm=\"gatehouse\", charset=\"UTF-8\"");
    return r;
}

bool sameSecret(const QByteArray &a, const QByteArray &b)
{
    const QByteArray da = QCryptographicHash::hash(a, QCryptographicHash::Sha256);
    const QByteArray db = QCryptographicHash::hash(b, QCryptographicHash::Sha256);
    return CRYPTO_memcmp(da.constData(), db.constData(), size_t(da.size())) == 0;
}

// The user named by the request's Basic credentials, or nullptr.
const BasicUserStore::User *login(const QHttpServerRequest &request, const BasicUserStore &users, LoginCache &cache,
                                  QString &name)
{
    const QByteArray value = request.value("Authorization");
    if (value.size() < 6 || value.first(6).toLower() != "basic ")
        return nullptr;
    const auto decoded = QByteArray::fromBase64Encoding(value.sliced(6).trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    const qsizetype colon = decoded ? decoded.decoded.indexOf(':') : -1;
    if (colon < 0)
        return nullptr;
    name = QString::fromUtf8(decoded.decoded.first(colon));
    const QByteArray password = decoded.decoded.sliced(colon + 1);
    const BasicUserStore::User *user = users.user(name);
    if (!user)
        return nullptr;
    if (!user->password.isEmpty())
        return sameSecret(password, user->password) ? user : nullptr;
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(decoded.decoded);
    h.addData(user->passwordHash.toUtf8());
    const QByteArray key = h.result();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (cache.value(key) >= now)
        return user;
    if (!verifyPassword(password, user->passwordHash))
        return nullptr;
    if (cache.size() >= kLoginCacheEntries)
        cache.clear();
    cache.insert(key, now + kLoginCacheSeconds);
    return user;
}

QHttpServerResponse issueApiKey(const QHttpServerRequest &request, GatewayEngine *engine, LoginCache &cache)
{
    const std::shared_ptr<GatewayServices> services = engine->services();
    const std::shared_ptr<const TokenServices> tokens = services ? services->tokens() : nullptr;
    if (!tokens || !tokens->issuer())
        return keyError(Status::NotFound, QStringLiteral("Not found"),
                     QStringLiteral("The gateway's API-key issuer is disabled (security.apiKeys.enabled)"));
    QString name;
    const BasicUserStore::User *user = login(request, *services->basicUsers(), cache, name);
    if (!user)
        return keyError(Status::Unauthorized, QStringLiteral("Invalid credentials"),
                     QStringLiteral("/apikey needs Basic credentials of a user in gatehouse.yaml"));
    const ApiKeyRequest params = ApiKeyRequest::parse(request.query().toString(QUrl::FullyEncoded).toUtf8(),
                                                      request.value("Content-Type"), request.body());
    const ApiKeyAnswer answer = answerApiKeyRequest(*tokens->issuer(), name, user->scopes, params,
                                                    QDateTime::currentSecsSinceEpoch());
    if (answer.status != 200)
        return keyError(Status(answer.status), answer.message, answer.description);
    return QHttpServerResponse(QByteArrayLiteral("text/plain"), answer.key);
}

} // namespace

void addApiKeyRoutes(QHttpServer *server, GatewayEngine *engine)
{
    server->route(QStringLiteral("/.well-known/jwks.json"), QHttpServerRequest::Method::Get, [engine] {
        const std::shared_ptr<GatewayServices> services = engine->services();
        const std::shared_ptr<const TokenServices> tokens = services ? services->tokens() : nullptr;
        const QByteArray jwks = tokens && tokens->issuer() ? tokens->issuer()->jwks() : QByteArray(R"({"keys":[]})");
        return QHttpServerResponse(QByteArrayLiteral("application/jwk-set+json"), jwks);
    });
    auto cache = std::make_shared<LoginCache>();
    const auto handler = [engine, cache](const QHttpServerRequest &request) {
        return issueApiKey(request, engine, *cache);
    };
    server->route(QStringLiteral("/apikey"), QHttpServerRequest::Method::Get | QHttpServerRequest::Method::Post, handler);
}

} // namespace Gatehouse
