// Invalidation by unsafe methods (RFC 9111 §4.4) across routes and worker threads: a successful
// POST/PUT/PATCH/DELETE records its target URI (and Location/Content-Location of the same origin)
// in a log shared by every response-cache filter of one config; each worker's store drops the
// entries of those URIs the next time it is used. The log is a lock-free ring: writers take a
// sequence number and publish one word, readers never wait and never block a writer.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <array>
#include <atomic>
#include <memory>

namespace Gatehouse {

class GatewayServices;

// The hash a stored entry's URI (path and query) is known by in the log. Two URIs with the same
// hash are invalidated together: harmless, they are fetched again.
quint32 cacheUriHash(QByteArrayView uri);

class CacheInvalidationLog
{
public:
    static constexpr quint64 kSlots = 1024;

    // Records that the entries of `uri` are invalid (any thread).
    void publish(QByteArrayView uri);

    // A reader's position: the sequence number of the next record it has not applied.
    using Position = quint64;
    Position head() const { return m_next.load(std::memory_order_acquire); }

    // The records from `position` on: `apply(hash)` for each; `clear()` instead when the reader
    // fell more than kSlots behind (its store is emptied). Stops at a record still being written
    // (the next call takes it). Returns the new position. Thread: the reader's (one per position).
    template<typename Apply, typename Clear>
    Position drain(Position position, Apply &&apply, Clear &&clear) const
    {
        const quint64 end = head();
        if (end - position > kSlots) {
            clear();
            return end;
        }
        for (; position != end; ++position) {
            const quint64 word = m_slots[position % kSlots].load(std::memory_order_acquire);
            const qint32 ahead = qint32(quint32(word >> 32) - tagOf(position));
            if (ahead < 0)
                return position;   // taken but not yet written
            if (ahead > 0) {       // overwritten: more than kSlots came since
                clear();
                return end;
            }
            apply(quint32(word));
        }
        return position;
    }

    // The log shared by the response-cache filters built for one configuration of `services`
    // (built on the engine's thread).
    static std::shared_ptr<CacheInvalidationLog> forConfiguration(const GatewayServices &services);

private:
    static quint32 tagOf(quint64 sequence) { return quint32(sequence) + 1; }   // 0: never written

    std::atomic<quint64> m_next{0};
    std::array<std::atomic<quint64>, kSlots> m_slots{};   // tag << 32 | hash
};

// The URI (path and query, as the cache keys entries) a Location or Content-Location value names,
// when it is of the request's origin (an absolute or relative reference; an absolute URI whose
// authority equals `host`); empty otherwise.
QByteArray sameOriginTarget(QByteArrayView reference, QByteArrayView requestPath, QByteArrayView host);

} // namespace Gatehouse
