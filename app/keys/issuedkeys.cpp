// The workbench's ledger of issued keys and the table model over it.
#include "issuedkeys.h"

#include "base/savefile.h"
#include "security/jwtclaims.h"

#include <QBrush>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPalette>

#include <algorithm>

namespace Gatehouse {

namespace {

constexpr qint64 kMaxLedgerBytes = 16 * 1024 * 1024;
constexpr qint64 kMaxRevocationBytes = 4 * 1024 * 1024;

QJsonObject toJson(const IssuedKey &k)
{
    return {{QStringLiteral("jti"), k.jti},
            {QStringLiteral("sub"), k.subject},
            {QStringLiteral("scopes"), QJsonArray::fromStringList(k.scopes)},
            {QStringLiteral("allowedAPIs"), QJsonArray::fromStringList(k.allowedApis)},
            {QStringLiteral("iat"), k.issuedAt},
            {QStringLiteral("exp"), k.expiresAt},
            {QStringLiteral("token"), QString::fromLatin1(k.token)}};
}

QStringList stringList(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &e : v.toArray()) {
        if (e.isString())
            out.append(e.toString());
    }
    return out;
}

} // namespace

IssuedKeyLedger::IssuedKeyLedger(QString path) : m_path(std::move(path)) {}

QList<IssuedKey> IssuedKeyLedger::load(QString *error) const
{
    QList<IssuedKey> keys;
    QFile file(m_path);
    if (m_path.isEmpty() || !file.exists())
        return keys;
    auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        return keys;
    };
    if (file.size() > kMaxLedgerBytes)
        return fail(QObject::tr("%1 is larger than 16 MiB; it is not read").arg(m_path));
    if (!file.open(QIODevice::ReadOnly))
        return fail(QObject::tr("cannot read %1: %2").arg(m_path, file.errorString()));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isArray())
        return fail(QObject::tr("%1 is not a JSON array of keys (%2)").arg(m_path, parseError.errorString()));
    for (const QJsonValue &v : doc.array()) {
        const QJsonObject o = v.toObject();
        IssuedKey k;
        k.jti = o.value(QLatin1StringView("jti")).toString();
        k.token = o.value(QLatin1StringView("token")).toString().toLatin1();
        if (k.jti.isEmpty() || k.token.isEmpty())
            continue;
        k.subject = o.value(QLatin1StringView("sub")).toString();
        k.scopes = stringList(o.value(QLatin1StringView("scopes")));
        k.allowedApis = stringList(o.value(QLatin1StringView("allowedAPIs")));
        k.issuedAt = qint64(o.value(QLatin1StringView("iat")).toDouble());
        k.expiresAt = qint64(o.value(QLatin1StringView("exp")).toDouble());
        keys.append(std::move(k));
    }
    return keys;
}

bool IssuedKeyLedger::append(const IssuedKey &key, QString *error) const
{
    QString readError;
    QList<IssuedKey> keys = load(&readError);
    if (!readError.isEmpty()) {   // never overwrite a file we could not understand
        if (error)
            *error = readError;
        return false;
    }
    keys.append(key);
    if (keys.size() > kMaxKeys)
        keys.erase(keys.begin(), keys.begin() + (keys.size() - kMaxKeys));
    QJsonArray array;
    for (const IssuedKey &k : std::as_const(keys))
        array.append(toJson(k));
    const auto saved = saveFile(m_path, QJsonDocument(array).toJson(), FileAccess::OwnerOnly);
    if (!saved && error)
        *error = saved.error().message;
    return bool(saved);
}

QSet<QString> readRevokedIds(const QString &revocationFile)
{
    QSet<QString> ids;
    QFile file(revocationFile);
    if (!file.open(QIODevice::ReadOnly))
        return ids;
    const QByteArray text = file.read(kMaxRevocationBytes);
    for (const QByteArray &line : text.split('\n')) {
        const QByteArray id = line.trimmed();
        if (!id.isEmpty() && !id.startsWith('#'))
            ids.insert(QString::fromUtf8(id));
    }
    return ids;
}

IssuedKeysModel::IssuedKeysModel(QObject *parent) : QAbstractTableModel(parent) {}

void IssuedKeysModel::setKeys(QList<IssuedKey> keys, QSet<QString> revoked)
{
    beginResetModel();
    m_keys = std::move(keys);
    std::reverse(m_keys.begin(), m_keys.end());   // newest first
    m_revoked = std::move(revoked);
    endResetModel();
}

void IssuedKeysModel::setRevoked(QSet<QString> revoked)
{
    m_revoked = std::move(revoked);
    if (!m_keys.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_keys.size()) - 1, ColumnCount - 1));
}

bool IssuedKeysModel::isRevoked(int row) const
{
    return row >= 0 && row < m_keys.size() && m_revoked.contains(m_keys.at(row).jti);
}

qint64 IssuedKeysModel::now() const
{
    return m_fixedNow > 0 ? m_fixedNow : QDateTime::currentSecsSinceEpoch();
}

int IssuedKeysModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_keys.size());
}

int IssuedKeysModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant IssuedKeysModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const IssuedKey &k = m_keys.at(index.row());
    const bool revoked = m_revoked.contains(k.jti);
    const bool expired = k.expiresAt > 0 && k.expiresAt <= now();
    if (role == TokenRole)
        return k.token;
    if (role == JtiRole)
        return k.jti;
    if (role == Qt::ForegroundRole && (revoked || expired))
        return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
    if (role == Qt::ToolTipRole && index.column() == Expires)
        return QDateTime::fromSecsSinceEpoch(k.expiresAt).toString(Qt::ISODate);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Subject:
        return k.subject;
    case Scopes:
        return k.scopes.join(u' ');
    case Apis:
        return k.allowedApis.isEmpty() ? tr("all") : k.allowedApis.join(QStringLiteral(", "));
    case Expires:
        return expired ? tr("expired %1 ago").arg(humanDuration(now() - k.expiresAt))
                       : tr("in %1").arg(humanDuration(k.expiresAt - now()));
    case State:
        return revoked ? tr("revoked") : expired ? tr("expired") : tr("active");
    case Jti:
        return k.jti;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant IssuedKeysModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Subject:
        return tr("Subject");
    case Scopes:
        return tr("Scopes");
    case Apis:
        return tr("APIs");
    case Expires:
        return tr("Expires");
    case State:
        return tr("State");
    case Jti:
        return tr("ID (jti)");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace Gatehouse
