// Upstream endpoints: the process-wide numbering of endpoint keys.
#include "upstreamendpoint.h"

#include <QHash>
#include <QMutex>

namespace Gatehouse {

int UpstreamEndpoint::idForKey(const QString &key)
{
    // Compile time only (configs are built off the data path), from any thread: a lock is fine.
    static QMutex mutex;
    static QHash<QString, int> ids;
    const QMutexLocker locker(&mutex);
    const auto it = ids.constFind(key);
    if (it != ids.constEnd())
        return *it;
    const int id = int(ids.size());
    ids.insert(key, id);
    return id;
}

} // namespace Gatehouse
