// The slots of a single-producer, single-consumer ring, each allocated the first time the producer
// takes it: an idle ring costs one pointer a slot, a busy one grows to what its traffic fills
// between two drains and keeps it (a slot is then reused, its buffers with it).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace Gatehouse {

template<typename T>
class RingSlots
{
public:
    explicit RingSlots(size_t count = 0) : m_slots(count) {}

    // Before the ring is shared: the producer and the consumer see the new count.
    void resize(size_t count) { m_slots.resize(count); }
    size_t size() const { return m_slots.size(); }
    bool empty() const { return m_slots.empty(); }

    // Producer: slot `index` of the ring (made now if it never was). The producer publishes it
    // (a release store the consumer acquires) only after this returns.
    T &take(size_t index)
    {
        std::unique_ptr<T> &slot = m_slots[index % m_slots.size()];
        if (!slot)
            slot = std::make_unique<T>();
        return *slot;
    }
    // Consumer: a slot the producer has published.
    T &published(size_t index) { return *m_slots[index % m_slots.size()]; }

private:
    std::vector<std::unique_ptr<T>> m_slots;
};

} // namespace Gatehouse
