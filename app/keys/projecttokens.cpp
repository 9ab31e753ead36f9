// ProjectTokens: issuer, verifiers, ledger and revocation for the Keys dock.
#include "projecttokens.h"

#include "base/threadcrypto.h"
#include "security/joseencoding.h"
#include "security/jws.h"
#include "security/revocationlist.h"
#include "security/tokenservices.h"

#include <QDateTime>
#include <QDir>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace Gatehouse {

namespace {

void addScopes(QStringList &to, const QList<SecurityRequirement> &requirements)
{
    for (const SecurityRequirement &r : requirements) {
        for (const SecurityRequirementItem &item : r)
            to.append(item.scopes);
    }
}

} // namespace

ProjectTokens::ProjectTokens(QObject *parent) : QObject(parent) {}

ProjectTokens::~ProjectTokens()
{
    // A key pair still being generated is written into the project when it is done: let that finish
    // now, while the project is known to be there, rather than behind the back of whoever closes it.
    for (QFutureWatcherBase *opening : findChildren<QFutureWatcherBase *>(Qt::FindDirectChildrenOnly))
        opening->waitForFinished();
}

void ProjectTokens::setProject(const Project &project)
{
    ++m_generation;
    m_project = project;
    m_issuer.reset();
    m_services.reset();
    m_unavailable = tr("Opening the project's issuer…");
    m_ledger = IssuedKeyLedger(project.rootDir.isEmpty()
                                   ? QString()
                                   : QDir(project.rootDir).absoluteFilePath(QStringLiteral("keys/issued-keys.json")));

    m_scopes.clear();
    m_apiTitles.clear();
    m_apiKeyHeader = QStringLiteral("apikey");
    bool headerFound = false;
    for (const ApiSpec &api : project.apis) {
        m_apiTitles.append(api.title);
        addScopes(m_scopes, api.security);
        m_scopes.append(api.extensions.scopes);
        for (const SecurityScheme &s : api.securitySchemes) {
            m_scopes.append(s.declaredScopes);
            if (!headerFound && s.type == SecuritySchemeType::ApiKey && s.apiKeyIn == ApiKeyLocation::Header
                && !s.apiKeyName.isEmpty()) {
                m_apiKeyHeader = s.apiKeyName;
                headerFound = true;
            }
        }
        for (const Operation &op : api.operations) {
            if (op.security)
                addScopes(m_scopes, *op.security);
            m_scopes.append(op.extensions.scopes);
        }
    }
    for (const GrpcService &service : project.protos.services) {
        for (const GrpcMethod &m : service.methods)
            m_scopes.append(m.scopes);
    }
    m_scopes.removeAll(QString());
    std::sort(m_scopes.begin(), m_scopes.end());
    m_scopes.erase(std::unique(m_scopes.begin(), m_scopes.end()), m_scopes.end());
    m_apiTitles.removeAll(QString());
    m_apiTitles.removeDuplicates();
    emit keysChanged();

    if (project.rootDir.isEmpty()) {
        m_unavailable = tr("No project is open.");
        emit failed(m_unavailable);
        return;
    }
    if (!project.settings.security.apiKeys.enabled) {
        m_unavailable = tr("The project's API-key issuer is disabled (security.apiKeys.enabled in gatehouse.yaml).");
        emit failed(m_unavailable);
        return;
    }
    // The first open generates the key pair (RSA 2048 takes a while): never on the UI thread.
    auto *watcher = new QFutureWatcher<Result<std::shared_ptr<const ApiKeyIssuer>>>(this);
    const quint64 generation = m_generation;
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        opened(watcher->result(), generation);
    });
    watcher->setFuture(QtConcurrent::run([settings = project.settings.security.apiKeys, root = project.rootDir] {
        Result<std::shared_ptr<const ApiKeyIssuer>> issuer = ApiKeyIssuer::open(settings, root);
        releaseThreadCryptoState();   // a pool thread: see threadcrypto.h
        return issuer;
    }));
}

void ProjectTokens::opened(const Result<std::shared_ptr<const ApiKeyIssuer>> &issuer, quint64 generation)
{
    if (generation != m_generation)
        return;   // another project was opened meanwhile
    if (!issuer) {
        m_unavailable = tr("The project's API-key issuer cannot be opened: %1").arg(issuer.error().message);
        emit failed(m_unavailable);
        return;
    }
    // The key files exist now, so building the verifiers only reads them.
    Diagnostics diagnostics;
    m_services = std::make_unique<TokenServices>(m_project.settings, m_project.rootDir, 1, nullptr, diagnostics);
    m_issuer = m_services->issuer() ? m_services->issuer() : *issuer;
    m_unavailable.clear();
    emit ready();
    emit keysChanged();
}

qint64 ProjectTokens::defaultTtlSeconds() const
{
    return qint64(m_project.settings.security.apiKeys.defaultTtl.count());
}

qint64 ProjectTokens::maxTtlSeconds() const
{
    return qint64(m_project.settings.security.apiKeys.maxTtl.count());
}

Result<IssuedKey> ProjectTokens::issue(const ApiKeyIssuer::Request &request)
{
    if (!m_issuer)
        return Error::config(m_unavailable);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    auto token = m_issuer->issue(request, now);
    if (!token)
        return token.error();
    // Read back what was signed, through the same parser the gateway uses.
    const auto jws = parseCompactJws(*token);
    const auto claims = jws ? parseStrictJsonObject(jws->payload) : Result<QJsonObject>(jws.error());
    if (!claims)
        return claims.error();
    IssuedKey key;
    key.jti = claims->value(QLatin1StringView("jti")).toString();
    key.subject = request.subject;
    key.scopes = request.scopes;
    key.allowedApis = request.allowedApis;
    key.issuedAt = now;
    key.expiresAt = qint64(claims->value(QLatin1StringView("exp")).toDouble());
    key.token = *token;
    QString error;
    if (!m_ledger.append(key, &error))
        return Error::io(tr("The key was issued but not recorded: %1").arg(error));
    emit keysChanged();
    return key;
}

Result<void> ProjectTokens::revoke(const QString &jti)
{
    if (!m_issuer)
        return Error::config(m_unavailable);
    if (auto r = RevocationList::revoke(m_issuer->revocationFile(), jti); !r)
        return r;
    emit keysChanged();
    return {};
}

QList<IssuedKey> ProjectTokens::issuedKeys(QString *error) const
{
    return m_ledger.load(error);
}

QSet<QString> ProjectTokens::revokedIds() const
{
    return m_issuer ? readRevokedIds(m_issuer->revocationFile()) : QSet<QString>();
}

void ProjectTokens::adoptRunningIssuer(std::shared_ptr<const ApiKeyIssuer> issuer)
{
    if (!issuer || issuer == m_issuer || !m_services)
        return;
    const bool changed = !m_issuer || m_issuer->kid() != issuer->kid();
    m_issuer = std::move(issuer);
    if (changed)
        emit keysChanged();
}

QByteArray ProjectTokens::jwks() const
{
    if (!m_issuer)
        return {};
    return QJsonDocument::fromJson(m_issuer->jwks()).toJson(QJsonDocument::Indented);
}

TokenInspection ProjectTokens::inspect(QByteArrayView token) const
{
    return TokenInspector::inspect(token, m_services.get(), QDateTime::currentSecsSinceEpoch());
}

} // namespace Gatehouse
