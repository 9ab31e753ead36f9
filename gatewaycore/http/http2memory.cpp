// nghttp2's allocator: size classes of 64 bytes up to 4 KiB, one free list per class and thread.
#include "http2memory.h"

#include <nghttp2/nghttp2.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <new>

namespace Gatehouse {

namespace {

constexpr size_t kGranule = 64;
constexpr size_t kClasses = size_t(kHttp2MaxCachedBytes) / kGranule;
constexpr size_t kUncached = 0;   // class of a block larger than the largest class

// Every block starts with this header; the caller's bytes follow it (16-byte aligned, as malloc's).
struct alignas(16) Header
{
    size_t sizeClass;   // 1..kClasses, or kUncached
    size_t capacity;    // usable bytes after the header
};

struct FreeBlock
{
    FreeBlock *next;
};

class Cache
{
public:
    ~Cache()
    {
        for (FreeBlock *&head : m_free) {
            while (head) {
                FreeBlock *next = head->next;
                std::free(head);
                head = next;
            }
        }
    }

    void *allocate(size_t size)
    {
        const size_t sizeClass = size == 0 ? 1 : (size + kGranule - 1) / kGranule;
        if (sizeClass > kClasses)
            return make(kUncached, size);
        if (FreeBlock *block = m_free[sizeClass - 1]) {
            m_free[sizeClass - 1] = block->next;
            m_cachedBytes -= qint64(sizeClass * kGranule);
            ++m_reused;
            auto *header = reinterpret_cast<Header *>(block);
            header->sizeClass = sizeClass;
            header->capacity = sizeClass * kGranule;
            return header + 1;
        }
        return make(sizeClass, sizeClass * kGranule);
    }

    void release(void *pointer)
    {
        if (!pointer)
            return;
        Header *header = static_cast<Header *>(pointer) - 1;
        const size_t sizeClass = header->sizeClass;
        const auto bytes = qint64(sizeClass * kGranule);
        if (sizeClass == kUncached || m_cachedBytes + bytes > kHttp2MaxCachedTotalBytes) {
            std::free(header);
            return;
        }
        auto *block = reinterpret_cast<FreeBlock *>(header);
        block->next = m_free[sizeClass - 1];
        m_free[sizeClass - 1] = block;
        m_cachedBytes += bytes;
    }

    void *reallocate(void *pointer, size_t size)
    {
        if (!pointer)
            return allocate(size);
        const Header *header = static_cast<Header *>(pointer) - 1;
        if (size <= header->capacity && size != 0)
            return pointer;
        void *bigger = allocate(size);
        if (!bigger)
            return nullptr;   // nghttp2 keeps the old block, as with realloc()
        std::memcpy(bigger, pointer, std::min(size, header->capacity));
        release(pointer);
        return bigger;
    }

    Http2MemoryStats stats() const { return {m_cachedBytes, m_reused}; }

private:
    static void *make(size_t sizeClass, size_t capacity)
    {
        auto *header = static_cast<Header *>(std::malloc(sizeof(Header) + capacity));
        if (!header)
            return nullptr;
        header->sizeClass = sizeClass;
        header->capacity = capacity;
        return header + 1;
    }

    std::array<FreeBlock *, kClasses> m_free{};
    qint64 m_cachedBytes = 0;
    qint64 m_reused = 0;
};

static_assert(sizeof(Header) % 16 == 0, "the caller's bytes must stay 16-byte aligned");

Cache &cache()
{
    thread_local Cache c;
    return c;
}

void *memMalloc(size_t size, void *)
{
    return cache().allocate(size);
}

void memFree(void *pointer, void *)
{
    cache().release(pointer);
}

void *memCalloc(size_t count, size_t size, void *)
{
    if (size != 0 && count > size_t(-1) / size)
        return nullptr;
    void *pointer = cache().allocate(count * size);
    if (pointer)
        std::memset(pointer, 0, count * size);
    return pointer;
}

void *memRealloc(void *pointer, size_t size, void *)
{
    return cache().reallocate(pointer, size);
}

} // namespace

nghttp2_mem *http2Memory()
{
    static nghttp2_mem mem{nullptr, &memMalloc, &memFree, &memCalloc, &memRealloc};
    return &mem;
}

Http2MemoryStats http2MemoryStats()
{
    return cache().stats();
}

} // namespace Gatehouse
