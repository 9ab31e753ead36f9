// One worker's stored responses, Vary-aware, bounded in bytes with LRU eviction.
#include "responsestore.h"

#include "cacheinvalidation.h"

#include "http/http1head.h"

namespace Gatehouse {

namespace {

constexpr qint64 kEntryOverhead = 256;   // node, hash slot, list links, QByteArray headers

QByteArray fullKeyOf(const QByteArray &primaryKey, const QByteArray &varyKey)
{
    QByteArray key;
    key.reserve(primaryKey.size() + 1 + varyKey.size());
    key.append(primaryKey);
    key.append('\0');
    key.append(varyKey);
    return key;
}

} // namespace

QByteArray ResponseStore::varyKey(const QList<QByteArray> &names, const Http1FieldList *requestHeaders)
{
    QByteArray key;
    for (const QByteArray &name : names) {
        key.append(name);
        key.append('\x01');
        // Several fields of one name count as their comma-joined list (RFC 9111 §4.1).
        bool first = true;
        if (requestHeaders) {
            for (const Http1Field &f : *requestHeaders) {
                if (!httpEqualsIgnoreCase(f.name, name))
                    continue;
                if (!first)
                    key.append(", ");
                key.append(httpTrimOws(f.value));
                first = false;
            }
        }
        key.append(first ? QByteArrayView("\x02") : QByteArrayView("\x03"));   // absent vs present
    }
    return key;
}

qint64 ResponseStore::cost(const QByteArray &fullKey, const CachedResponse &response)
{
    qint64 bytes = kEntryOverhead + 2 * fullKey.size() + response.body.size() + response.contentType.size();
    for (const OwnedField &f : response.fields)
        bytes += f.name.size() + f.value.size() + 32;
    for (const QByteArray &name : response.varyNames)
        bytes += name.size() + 16;
    return bytes + response.etag.size() + response.lastModified.size();
}

const CachedResponse *ResponseStore::find(const QByteArray &primaryKey, const Http1FieldList *requestHeaders)
{
    const auto variants = m_variants.constFind(primaryKey);
    if (variants == m_variants.constEnd())
        return nullptr;
    const auto it = m_index.constFind(fullKeyOf(primaryKey, varyKey(variants->varyNames, requestHeaders)));
    if (it == m_index.constEnd())
        return nullptr;
    m_lru.splice(m_lru.begin(), m_lru, it.value());
    return &it.value()->response;
}

void ResponseStore::erase(Lru::iterator it)
{
    m_bytes -= it->cost;
    m_index.remove(it->fullKey);
    auto variants = m_variants.find(it->primaryKey);
    if (variants != m_variants.end() && --variants->count <= 0)
        m_variants.erase(variants);
    if (auto uri = m_uriHashes.find(it->uriHash); uri != m_uriHashes.end() && --uri.value() <= 0)
        m_uriHashes.erase(uri);
    m_lru.erase(it);
}

bool ResponseStore::insert(const QByteArray &primaryKey, const Http1FieldList *requestHeaders,
                           CachedResponse response)
{
    QByteArray fullKey = fullKeyOf(primaryKey, varyKey(response.varyNames, requestHeaders));
    const qint64 bytes = cost(fullKey, response);
    if (bytes > m_maxBytes)
        return false;
    auto variants = m_variants.find(primaryKey);
    if (variants != m_variants.end() && variants->varyNames != response.varyNames) {
        // The resource now varies on other fields: the old variants can no longer be selected.
        for (auto it = m_lru.begin(); it != m_lru.end();) {
            auto next = std::next(it);
            if (it->primaryKey == primaryKey)
                erase(it);
            it = next;
        }
    } else if (const auto existing = m_index.constFind(fullKey); existing != m_index.constEnd()) {
        erase(existing.value());
    }
    while (m_bytes + bytes > m_maxBytes && !m_lru.empty()) {
        erase(std::prev(m_lru.end()));
        ++m_evictions;
    }
    Variants &slot = m_variants[primaryKey];
    slot.varyNames = response.varyNames;
    ++slot.count;
    const qsizetype uriEnd = primaryKey.indexOf('\0');
    const quint32 uriHash = cacheUriHash(QByteArrayView(primaryKey).first(uriEnd < 0 ? primaryKey.size() : uriEnd));
    ++m_uriHashes[uriHash];
    m_lru.push_front(Node{fullKey, primaryKey, uriHash, bytes, std::move(response)});
    m_index.insert(std::move(fullKey), m_lru.begin());
    m_bytes += bytes;
    return true;
}

void ResponseStore::remove(const QByteArray &primaryKey, const Http1FieldList *requestHeaders)
{
    const auto variants = m_variants.constFind(primaryKey);
    if (variants == m_variants.constEnd())
        return;
    const auto it = m_index.constFind(fullKeyOf(primaryKey, varyKey(variants->varyNames, requestHeaders)));
    if (it != m_index.constEnd())
        erase(it.value());
}

void ResponseStore::removeUri(quint32 uriHash)
{
    if (!m_uriHashes.contains(uriHash))
        return;   // the common case: nothing of that URI is stored here
    for (auto it = m_lru.begin(); it != m_lru.end();) {
        auto next = std::next(it);
        if (it->uriHash == uriHash)
            erase(it);
        it = next;
    }
}

void ResponseStore::clear()
{
    m_lru.clear();
    m_index.clear();
    m_variants.clear();
    m_uriHashes.clear();
    m_bytes = 0;
}

} // namespace Gatehouse
