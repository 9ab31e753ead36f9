// One worker's stored responses: keyed by route-local request key and the request's values of
// the fields the response's Vary names, bounded in bytes with least-recently-used eviction.
// Threading: none; each worker thread owns its own store (no locks on the request path).
#pragma once

#include "pipeline/requestcontext.h"

#include <QByteArray>
#include <QHash>
#include <QList>

#include <list>

namespace Gatehouse {

struct CachedResponse
{
    int status = 0;
    QByteArray contentType;
    QByteArray body;
    QList<OwnedField> fields;       // end-to-end fields as stored (no framing, Content-Type or Age)
    QList<QByteArray> varyNames;    // lowercase names from Vary, in order
    QByteArray etag;                // its validators (null when absent), for revalidation
    QByteArray lastModified;
    qint64 responseTime = 0;        // seconds since the epoch
    qint64 initialAge = 0;          // corrected_initial_age (seconds)
    qint64 lifetime = 0;            // freshness lifetime (seconds); 0 for no-cache: always revalidated

    bool hasValidator() const { return !etag.isNull() || !lastModified.isNull(); }
};

class ResponseStore
{
public:
    explicit ResponseStore(qint64 maxBytes) : m_maxBytes(maxBytes) {}

    // The stored response for `primaryKey` whose Vary values match `requestHeaders`, marked as
    // most recently used; nullptr when there is none. Valid until the next insert().
    const CachedResponse *find(const QByteArray &primaryKey, const Http1FieldList *requestHeaders);
    // Stores `response` (replacing the variant with the same Vary values, and every variant
    // stored under another Vary list), evicting the least recently used entries beyond the bound.
    // False when the entry alone exceeds the bound (nothing changes then).
    bool insert(const QByteArray &primaryKey, const Http1FieldList *requestHeaders, CachedResponse response);
    // Drops the variant find() would return.
    void remove(const QByteArray &primaryKey, const Http1FieldList *requestHeaders);
    // Drops every entry (all variants, all callers) of the URIs with this cacheUriHash(); the
    // URI of a primary key is its part before the first NUL byte.
    void removeUri(quint32 uriHash);
    void clear();

    // Where this store is in its config's invalidation log (CacheInvalidationLog::Position).
    quint64 invalidationPosition = 0;

    qint64 bytes() const { return m_bytes; }
    qint64 maxBytes() const { return m_maxBytes; }
    int count() const { return int(m_index.size()); }
    qint64 evictions() const { return m_evictions; }

    // The bytes an entry is charged: body, fields, keys and a fixed overhead.
    static qint64 cost(const QByteArray &fullKey, const CachedResponse &response);
    // The Vary part of the key: the request's values of `names`, normalised.
    static QByteArray varyKey(const QList<QByteArray> &names, const Http1FieldList *requestHeaders);

private:
    struct Node
    {
        QByteArray fullKey;
        QByteArray primaryKey;
        quint32 uriHash = 0;
        qint64 cost = 0;
        CachedResponse response;
    };
    using Lru = std::list<Node>;   // front: most recently used
    struct Variants
    {
        QList<QByteArray> varyNames;
        int count = 0;             // nodes stored under this primary key
    };

    void erase(Lru::iterator it);

    qint64 m_maxBytes;
    qint64 m_bytes = 0;
    qint64 m_evictions = 0;
    Lru m_lru;
    QHash<QByteArray, Lru::iterator> m_index;   // full key → node
    QHash<QByteArray, Variants> m_variants;     // primary key → its Vary names
    QHash<quint32, int> m_uriHashes;            // uri hash → nodes stored under it
};

} // namespace Gatehouse
