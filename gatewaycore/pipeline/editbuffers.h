// The byte buffers of header edits (RequestContext's upstreamHeaders, responseHeaders and their
// removal lists), kept per thread when a request context is reset and reused by the next edits: an
// interceptor that sets headers on every request then allocates nothing for them once warm.
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <cstring>
#include <vector>

namespace Gatehouse::EditBuffers {

inline constexpr size_t kMaxKept = 64;
inline constexpr qsizetype kBufferSize = 48;    // the size of every kept buffer

inline std::vector<QByteArray> &kept()
{
    thread_local std::vector<QByteArray> buffers;
    return buffers;
}

// `bytes` in a buffer of its own. Short ones (most names and values) go into a kept buffer, or a
// new one of the kept size; longer ones are copied as they are and never kept.
inline QByteArray copy(QByteArrayView bytes)
{
    std::vector<QByteArray> &spare = kept();
    if (bytes.isEmpty() || bytes.size() > kBufferSize)
        return bytes.toByteArray();
    if (spare.empty()) {
        QByteArray out(kBufferSize, Qt::Uninitialized);   // room for the usual names and values
        out.resize(bytes.size());
        std::memcpy(out.data(), bytes.data(), size_t(bytes.size()));
        return out;
    }
    QByteArray out = std::move(spare.back());
    spare.pop_back();
    // Not shared and within its capacity: the size is set in place (QByteArray::resize is out of
    // line, ~30 instructions, and checks what keep() checked already).
    QByteArray::DataPointer &d = out.data_ptr();
    std::memcpy(d.data(), bytes.data(), size_t(bytes.size()));
    d.size = bytes.size();
    d.data()[d.size] = '\0';
    return out;
}

// Keeps `bytes`'s buffer when it has the kept size and nothing else holds it (not shared, not a
// literal or raw data).
inline void keep(QByteArray &bytes)
{
    if (bytes.capacity() != kBufferSize || !bytes.isDetached())
        return;   // most fields that are not edits: decided without the thread's list
    std::vector<QByteArray> &spare = kept();
    if (spare.size() < kMaxKept)
        spare.push_back(std::move(bytes));
}

} // namespace Gatehouse::EditBuffers
