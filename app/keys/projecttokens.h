// ProjectTokens: the token side of the open project for the workbench, with or without a running
// gateway: the project's own issuer (its key pair is opened, or generated on first use, off the UI
// thread), verifiers for inspection, the ledger of issued keys and revocation.
#pragma once

#include "issuedkeys.h"
#include "tokeninspection.h"

#include "base/result.h"
#include "project/project.h"
#include "security/apikeyissuer.h"

#include <QObject>

#include <memory>

namespace Gatehouse {

class TokenServices;

class ProjectTokens : public QObject
{
    Q_OBJECT
public:
    explicit ProjectTokens(QObject *parent = nullptr);
    ~ProjectTokens() override;

    // Forgets the previous project's keys and prepares this one's (asynchronously: ready() or
    // failed() follows). The issuer's key pair lives in the project (keys/apikey.pem).
    void setProject(const Project &project);
    bool isReady() const { return m_services != nullptr && m_issuer != nullptr; }
    // Why issuing is not possible (issuer disabled, key unreadable ...); empty when it is.
    QString unavailableReason() const { return m_unavailable; }

    // Scopes the project's APIs, operations and gRPC methods declare or require, sorted.
    QStringList declaredScopes() const { return m_scopes; }
    QStringList apiTitles() const { return m_apiTitles; }
    // The header of the project's first apiKey security scheme ("apikey" when there is none).
    QString apiKeyHeader() const { return m_apiKeyHeader; }
    qint64 defaultTtlSeconds() const;
    qint64 maxTtlSeconds() const;

    // Signs a key with the project's issuer and records it in the ledger.
    Result<IssuedKey> issue(const ApiKeyIssuer::Request &request);
    Result<void> revoke(const QString &jti);
    QList<IssuedKey> issuedKeys(QString *error = nullptr) const;
    QSet<QString> revokedIds() const;
    QString ledgerPath() const { return m_ledger.path(); }

    // The running gateway's issuer (after it started or reloaded): keys issued from now on are
    // signed with exactly the key that gateway verifies with.
    void adoptRunningIssuer(std::shared_ptr<const ApiKeyIssuer> issuer);

    QByteArray jwks() const;   // the issuer's public keys, pretty JSON; empty when not ready
    TokenInspection inspect(QByteArrayView token) const;

signals:
    void ready();
    void failed(const QString &reason);
    void keysChanged();

private:
    void opened(const Result<std::shared_ptr<const ApiKeyIssuer>> &issuer, quint64 generation);

    Project m_project;
    quint64 m_generation = 0;
    std::shared_ptr<const ApiKeyIssuer> m_issuer;
    std::unique_ptr<TokenServices> m_services;   // this object's own: workers never touch them
    IssuedKeyLedger m_ledger;
    QStringList m_scopes;
    QStringList m_apiTitles;
    QString m_apiKeyHeader = QStringLiteral("apikey");
    QString m_unavailable;
};

} // namespace Gatehouse
