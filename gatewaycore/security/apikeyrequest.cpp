#include "apikeyrequest.h"

#include "apikeyissuer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace Gatehouse {

ApiKeyRequest ApiKeyRequest::parse(QByteArrayView query, QByteArrayView contentType, const QByteArray &body)
{
    ApiKeyRequest p;
    if (query.startsWith('?'))
        query = query.sliced(1);
    QUrlQuery items(QString::fromUtf8(query));
    const QByteArray type = contentType.toByteArray().toLower();
    QJsonObject json;
    if (type.startsWith("application/json") && !body.trimmed().isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (!doc.isObject()) {
            p.problem = QStringLiteral("the body is not a JSON object");
            return p;
        }
        json = doc.object();
    } else if (type.startsWith("application/x-www-form-urlencoded")) {
        const QUrlQuery form(QString::fromUtf8(body));
        for (const auto &[k, v] : form.queryItems(QUrl::FullyDecoded))
            items.addQueryItem(k, v);
    }
    auto text = [&](const QString &name) { return items.queryItemValue(name, QUrl::FullyDecoded); };
    QString scopes = text(QStringLiteral("scopes"));
    if (scopes.isEmpty())
        scopes = text(QStringLiteral("scope"));
    if (items.hasQueryItem(QStringLiteral("scopes")) || items.hasQueryItem(QStringLiteral("scope"))) {
        p.scopes = scopes.split(u' ', Qt::SkipEmptyParts);
        p.scopesGiven = true;
    }
    const QString validity = text(QStringLiteral("validityTime"));
    if (!validity.isEmpty()) {
        bool ok = false;
        p.validity = validity.toLongLong(&ok);
        if (!ok || p.validity <= 0)
            p.problem = QStringLiteral("validityTime must be a positive number of seconds");
    }
    p.apis = text(QStringLiteral("apis")).split(u',', Qt::SkipEmptyParts);
    if (json.contains(QLatin1StringView("validityTime"))) {
        p.validity = json.value(QLatin1StringView("validityTime")).toInteger(-1);
        if (p.validity <= 0)
            p.problem = QStringLiteral("validityTime must be a positive number of seconds");
    }
    const QJsonValue js = json.value(QLatin1StringView("scopes"));
    if (js.isString() || js.isArray()) {
        p.scopes = js.isString() ? js.toString().split(u' ', Qt::SkipEmptyParts) : QStringList();
        for (const QJsonValue &s : js.toArray())
            p.scopes.append(s.toString());
        p.scopesGiven = true;
    }
    for (const QJsonValue &a : json.value(QLatin1StringView("allowedAPIs")).toArray())
        p.apis.append(a.toString());
    for (QString &a : p.apis)
        a = a.trimmed();
    return p;
}

ApiKeyAnswer answerApiKeyRequest(const ApiKeyIssuer &issuer, const QString &user, const QStringList &userScopes,
                                 const ApiKeyRequest &request, qint64 nowSeconds)
{
    if (!request.problem.isEmpty())
        return {400, QStringLiteral("Bad request"), request.problem, {}};
    for (const QString &s : request.scopes) {
        if (!userScopes.contains(s))
            return {403, QStringLiteral("Scope not allowed"),
                    QStringLiteral("user '%1' may not issue keys with scope '%2'").arg(user, s.left(60)), {}};
    }
    ApiKeyIssuer::Request r;
    r.subject = user;
    r.scopes = request.scopesGiven ? request.scopes : userScopes;
    r.ttlSeconds = request.validity;
    r.allowedApis = request.apis;
    auto key = issuer.issue(r, nowSeconds);
    if (!key)
        return {400, QStringLiteral("Bad request"), key.error().message, {}};
    return {200, {}, {}, *key};
}

} // namespace Gatehouse
