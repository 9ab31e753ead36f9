// A request to /apikey, wherever it is served (the admin listener, the HTTPS listener): its
// parameters and the answer for an authenticated user.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

namespace Gatehouse {

class ApiKeyIssuer;

// Parameters from the query string, a form body or a JSON body (the body wins):
//   scopes | scope   space-separated (JSON: a string or an array); each must be one of the user's
//                    scopes (default: all of them)
//   validityTime     seconds, at most apiKeys.maxTtl (default apiKeys.defaultTtl)
//   apis             comma-separated API names the key may call (JSON: allowedAPIs array)
struct ApiKeyRequest
{
    QStringList scopes;
    bool scopesGiven = false;
    qint64 validity = 0;        // 0: the issuer's default
    QStringList apis;
    QString problem;            // non-empty: the request is malformed (answer 400 with it)

    // `query` with or without its leading '?'.
    static ApiKeyRequest parse(QByteArrayView query, QByteArrayView contentType, const QByteArray &body);
};

// What /apikey answers: 200 with the key as text, or an error status with a message and a sentence.
struct ApiKeyAnswer
{
    int status = 200;
    QString message;
    QString description;
    QByteArray key;
};

// Issues the key `request` asks for to `user`, who authenticated and may use `userScopes`.
ApiKeyAnswer answerApiKeyRequest(const ApiKeyIssuer &issuer, const QString &user, const QStringList &userScopes,
                                 const ApiKeyRequest &request, qint64 nowSeconds);

} // namespace Gatehouse
