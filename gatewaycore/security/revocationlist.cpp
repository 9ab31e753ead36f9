// Revoked API keys, read from the project's revocation file and re-read when it changes.
#include "revocationlist.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutexLocker>

namespace Gatehouse {

RevocationList::RevocationList(QString path) : m_path(std::move(path))
{
}

bool RevocationList::isRevoked(const QString &jti) const
{
    QMutexLocker lock(&m_mutex);
    const qint64 now = QDeadlineTimer::current().deadline();
    if (m_checkedAtMs < 0 || now - m_checkedAtMs >= kCheckIntervalMs)
        reloadIfChanged(now);
    return !jti.isEmpty() && m_revoked.contains(jti);
}

void RevocationList::reloadIfChanged(qint64 nowMs) const
{
    m_checkedAtMs = nowMs;
    const QFileInfo info(m_path);
    const qint64 size = info.exists() ? info.size() : -1;
    const QDateTime modified = info.exists() ? info.lastModified() : QDateTime();
    if (size == m_size && modified == m_modified)
        return;
    m_size = size;
    m_modified = modified;
    m_revoked.clear();
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine(1024)).trimmed();
        if (!line.isEmpty() && !line.startsWith(u'#'))
            m_revoked.insert(line);
    }
}

Result<void> RevocationList::revoke(const QString &path, const QString &jti)
{
    if (jti.isEmpty() || jti.size() > 200 || jti.contains(u'\n') || jti.contains(u'\r') || jti.trimmed() != jti)
        return Error::config(QStringLiteral("'%1' is not a key id (jti)").arg(jti.left(40)));
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite | QIODevice::Append))
        return Error::io(QStringLiteral("cannot write %1: %2").arg(path, f.errorString()));
    // A line cut short by an earlier failed write (disk full) must not swallow this key id.
    QByteArray line = jti.toUtf8() + '\n';
    if (f.size() > 0 && f.seek(f.size() - 1) && f.read(1) != "\n")
        line.prepend('\n');
    // QFile buffers: a full disk shows only when the bytes reach the kernel, so flush and check
    // before telling the caller the key is revoked.
    if (f.write(line) != line.size() || !f.flush() || f.error() != QFileDevice::NoError)
        return Error::io(QStringLiteral("cannot write %1: %2 (the key is NOT revoked)").arg(path, f.errorString()));
    f.close();
    if (f.error() != QFileDevice::NoError)
        return Error::io(QStringLiteral("cannot write %1: %2 (the key is NOT revoked)").arg(path, f.errorString()));
    return {};
}

} // namespace Gatehouse
