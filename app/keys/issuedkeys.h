// The keys the workbench issued for a project: a ledger in the project's keys/ folder (private,
// 0600, never exported unless asked), their revocation state from the issuer's revocation file,
// and a table model over them for the Keys dock.
#pragma once

#include <QAbstractTableModel>
#include <QByteArray>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace Gatehouse {

struct IssuedKey
{
    QString jti;
    QString subject;
    QStringList scopes;
    QStringList allowedApis;   // empty = every API
    qint64 issuedAt = 0;       // seconds since the epoch
    qint64 expiresAt = 0;
    QByteArray token;          // the signed JWT, so it can be copied again
};

// Reads and writes `keys/issued-keys.json` (a JSON array, newest last). A file that is not what
// this class writes is reported, never trusted blindly: bad entries are skipped.
class IssuedKeyLedger
{
public:
    static constexpr int kMaxKeys = 1000;   // oldest entries are dropped beyond this

    explicit IssuedKeyLedger(QString path = {});
    const QString &path() const { return m_path; }

    // The keys recorded in the file; `error` says why the file could not be used (empty: fine or
    // missing). Entries without a jti or token are skipped.
    QList<IssuedKey> load(QString *error = nullptr) const;
    // Appends `key` (and drops the oldest beyond kMaxKeys). Written atomically, owner-only.
    bool append(const IssuedKey &key, QString *error = nullptr) const;

private:
    QString m_path;
};

// The jti listed in a revocation file (one a line); missing file = none.
QSet<QString> readRevokedIds(const QString &revocationFile);

class IssuedKeysModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Subject = 0, Scopes, Apis, Expires, State, Jti, ColumnCount };
    static constexpr int TokenRole = Qt::UserRole + 1;   // QByteArray: the JWT
    static constexpr int JtiRole = Qt::UserRole + 2;

    explicit IssuedKeysModel(QObject *parent = nullptr);

    void setKeys(QList<IssuedKey> keys, QSet<QString> revoked);
    void setRevoked(QSet<QString> revoked);
    // For relative expiry texts; by default the wall clock at each call.
    void setNow(qint64 secondsSinceEpoch) { m_fixedNow = secondsSinceEpoch; }
    const QList<IssuedKey> &keys() const { return m_keys; }
    bool isRevoked(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    qint64 now() const;

    QList<IssuedKey> m_keys;   // newest first
    QSet<QString> m_revoked;
    qint64 m_fixedNow = 0;
};

} // namespace Gatehouse
