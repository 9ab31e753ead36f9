// Invalidation by unsafe methods: the lock-free log shared by a config's cache filters, and the
// same-origin test for Location / Content-Location.
#include "cacheinvalidation.h"

#include "http/http1head.h"
#include "pipeline/gatewayservices.h"

#include <QHash>
#include <QMutex>

#include <vector>

namespace Gatehouse {

quint32 cacheUriHash(QByteArrayView uri)
{
    // Seed 0: the same on every thread and in every store.
    const size_t h = qHash(uri, 0);
    return quint32(h) ^ quint32(quint64(h) >> 32);
}

void CacheInvalidationLog::publish(QByteArrayView uri)
{
    const quint64 sequence = m_next.fetch_add(1, std::memory_order_acq_rel);
    const quint32 tag = tagOf(sequence);
    const quint64 word = quint64(tag) << 32 | cacheUriHash(uri);
    std::atomic<quint64> &slot = m_slots[sequence % kSlots];
    // A writer that lapped this one may have been faster: never overwrite a newer record.
    quint64 current = slot.load(std::memory_order_relaxed);
    while (qint32(quint32(current >> 32) - tag) < 0
           && !slot.compare_exchange_weak(current, word, std::memory_order_release, std::memory_order_relaxed)) {
    }
}

std::shared_ptr<CacheInvalidationLog> CacheInvalidationLog::forConfiguration(const GatewayServices &services)
{
    // Filters are built on the engine's thread, but a process may run several engines (tests, the
    // workbench beside a daemon): the registry is small and locked, and never touched per request.
    struct Entry
    {
        const GatewayServices *services;
        quint64 generation;
        std::weak_ptr<CacheInvalidationLog> log;
    };
    static QMutex mutex;
    static std::vector<Entry> entries;
    const QMutexLocker lock(&mutex);
    std::erase_if(entries, [](const Entry &e) { return e.log.expired(); });
    for (const Entry &e : entries) {
        if (e.services == &services && e.generation == services.generation())
            return e.log.lock();
    }
    auto log = std::make_shared<CacheInvalidationLog>();
    entries.push_back({&services, services.generation(), log});
    return log;
}

QByteArray sameOriginTarget(QByteArrayView reference, QByteArrayView requestPath, QByteArrayView host)
{
    reference = httpTrimOws(reference);
    if (const qsizetype hash = reference.indexOf('#'); hash >= 0)
        reference = reference.first(hash);
    if (reference.isEmpty())
        return {};
    QByteArray target;
    // scheme ":" before any "/", "?": an absolute URI; "//": a network-path reference.
    qsizetype colon = reference.indexOf(':');
    const qsizetype firstDelimiter = [&] {
        qsizetype at = reference.size();
        for (const char c : {'/', '?'}) {
            if (const qsizetype i = reference.indexOf(c); i >= 0 && i < at)
                at = i;
        }
        return at;
    }();
    if (colon > 0 && colon < firstDelimiter)
        reference = reference.sliced(colon + 1);
    else
        colon = -1;
    if (reference.startsWith("//")) {
        reference = reference.sliced(2);
        qsizetype end = 0;
        while (end < reference.size() && reference[end] != '/' && reference[end] != '?')
            ++end;
        if (!httpEqualsIgnoreCase(reference.first(end), httpTrimOws(host)))
            return {};   // another origin (or no Host to compare with)
        reference = reference.sliced(end);
        if (reference.isEmpty() || reference.front() == '?')
            target = "/";
        target.append(reference);
    } else if (colon >= 0) {
        return {};   // "mailto:x", "urn:y": no origin of ours
    } else if (reference.front() == '/') {
        target = reference.toByteArray();
    } else {
        // Relative to the request's path: its "directory", then the reference.
        const qsizetype slash = requestPath.lastIndexOf('/');
        target = requestPath.first(slash + 1).toByteArray();
        if (reference.front() == '?')
            target = requestPath.toByteArray();
        target.append(reference);
    }
    // Dot segments would need RFC 3986 §5.2.4; such references are left alone (not invalidated).
    const QByteArrayView path = QByteArrayView(target).first(target.indexOf('?') < 0 ? target.size() : target.indexOf('?'));
    if (path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/.."))
        return {};
    return target;
}

} // namespace Gatehouse
