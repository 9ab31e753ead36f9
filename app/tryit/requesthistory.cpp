// RequestHistory: last try-it requests, persisted as JSON in QSettings without their secrets.
#include "requesthistory.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QUrl>

namespace Gatehouse {

namespace {
const QString kSettingsKey = QStringLiteral("tryit/history");
constexpr qsizetype kMaxSavedBodyBytes = 64 * 1024;   // bigger bodies stay in memory only

QJsonObject toJson(const HistoryEntry &e)
{
    QJsonArray headers;
    for (const NameValue &h : e.request.headers)
        headers.append(QJsonArray{h.name, h.value});
    // Only which helper was used and the API key header's name: secrets never reach the disk.
    return QJsonObject{
        {QStringLiteral("method"), e.request.method},
        {QStringLiteral("url"), e.request.url},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("body"), e.request.body.size() <= kMaxSavedBodyBytes
                                     ? QString::fromUtf8(e.request.body)
                                     : QString()},
        {QStringLiteral("contentType"), e.request.contentType},
        {QStringLiteral("authKind"), int(e.request.auth.kind)},
        {QStringLiteral("apiKeyHeader"), e.request.auth.apiKeyHeader},
        {QStringLiteral("user"), e.request.auth.user},
        {QStringLiteral("status"), e.status},
        {QStringLiteral("elapsedMs"), e.elapsedMs},
        {QStringLiteral("sentAt"), e.sentAt.toString(Qt::ISODate)},
    };
}

HistoryEntry fromJson(const QJsonObject &o)
{
    HistoryEntry e;
    e.request.method = o.value(QStringLiteral("method")).toString();
    e.request.url = o.value(QStringLiteral("url")).toString();
    for (const QJsonValue &h : o.value(QStringLiteral("headers")).toArray())
        e.request.headers.append({h.toArray().at(0).toString(), h.toArray().at(1).toString()});
    e.request.body = o.value(QStringLiteral("body")).toString().toUtf8();
    e.request.contentType = o.value(QStringLiteral("contentType")).toString();
    const int kind = o.value(QStringLiteral("authKind")).toInt();
    e.request.auth.kind = kind >= int(AuthKind::None) && kind <= int(AuthKind::Basic)
                              ? AuthKind(kind)
                              : AuthKind::None;
    e.request.auth.apiKeyHeader = o.value(QStringLiteral("apiKeyHeader")).toString();
    e.request.auth.user = o.value(QStringLiteral("user")).toString();
    e.status = o.value(QStringLiteral("status")).toInt();
    e.elapsedMs = o.value(QStringLiteral("elapsedMs")).toInteger();
    e.sentAt = QDateTime::fromString(o.value(QStringLiteral("sentAt")).toString(), Qt::ISODate);
    return e;
}
} // namespace

RequestHistory::RequestHistory(QObject *parent) : QObject(parent) {}

void RequestHistory::add(const HistoryEntry &entry)
{
    m_entries.prepend(entry);
    if (m_entries.size() > kMaxEntries)
        m_entries.resize(kMaxEntries);
    save();
    emit changed();
}

void RequestHistory::clear()
{
    m_entries.clear();
    save();
    emit changed();
}

void RequestHistory::load()
{
    m_entries.clear();
    const QByteArray json = QSettings().value(kSettingsKey).toByteArray();
    for (const QJsonValue &v : QJsonDocument::fromJson(json).array()) {
        HistoryEntry e = fromJson(v.toObject());
        if (!e.request.url.isEmpty() && m_entries.size() < kMaxEntries)
            m_entries.append(e);
    }
    emit changed();
}

void RequestHistory::save() const
{
    QJsonArray list;
    for (const HistoryEntry &e : m_entries)
        list.append(toJson(e));
    QSettings().setValue(kSettingsKey, QJsonDocument(list).toJson(QJsonDocument::Compact));
}

QString RequestHistory::label(const HistoryEntry &e)
{
    // The path is what tells entries apart; the gateway's host and port are the same for all.
    const QUrl url(e.request.url, QUrl::TolerantMode);
    QString where
        = url.isValid() && !url.host().isEmpty()
              ? url.toString(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::PrettyDecoded)
              : e.request.url;
    if (where.isEmpty())
        where = QStringLiteral("/");
    const QString result = e.status > 0 ? QString::number(e.status) : tr("failed");
    return QStringLiteral("%1 %2   %3 · %4")
        .arg(e.request.method, where, result, tr("%1 ms").arg(e.elapsedMs));
}

} // namespace Gatehouse
