// Revoked API keys, read from the project's revocation file and re-read when it changes.
#include "revocationlist.h"

#include "proxy/coarseclock.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutexLocker>

namespace Gatehouse {

RevocationList::RevocationList(QString path) : m_path(std::move(path))
{
}

namespace {

qint64 coarseMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(CoarseClock::now().time_since_epoch()).count();
}

} // namespace

bool RevocationList::isRevoked(const QString &jti) const
{
    // Every request with a key of the gateway's issuer asks, on every worker: between the looks at
    // the file, and while nothing is revoked, that is a coarse clock read and two atomic loads, with
    // no lock for the workers to queue on.
    const qint64 now = coarseMs();
    const qint64 checked = m_checkedAtMs.load(std::memory_order_acquire);
    if (checked < 0 || now - checked >= kCheckIntervalMs) {
        QMutexLocker lock(&m_mutex);
        const qint64 again = m_checkedAtMs.load(std::memory_order_relaxed);
        if (again < 0 || now - again >= kCheckIntervalMs)
            reloadIfChanged(now);
    }
    if (jti.isEmpty() || m_count.load(std::memory_order_acquire) == 0)
        return false;
    QMutexLocker lock(&m_mutex);
    return m_revoked.contains(jti);
}

// Under m_mutex. The time of the look is published last: a reader that sees it sees the set's
// size of that look.
void RevocationList::reloadIfChanged(qint64 nowMs) const
{
    const QFileInfo info(m_path);
    const qint64 size = info.exists() ? info.size() : -1;
    const QDateTime modified = info.exists() ? info.lastModified() : QDateTime();
    if (size != m_size || modified != m_modified) {
        m_size = size;
        m_modified = modified;
        m_revoked.clear();
        QFile f(m_path);
        if (f.open(QIODevice::ReadOnly)) {
            while (!f.atEnd()) {
                const QString line = QString::fromUtf8(f.readLine(1024)).trimmed();
                if (!line.isEmpty() && !line.startsWith(u'#'))
                    m_revoked.insert(line);
            }
        }
        m_count.store(m_revoked.size(), std::memory_order_release);
    }
    m_checkedAtMs.store(nowMs, std::memory_order_release);
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
