// Field lookup and token-list helpers of Http1Head; nothing here allocates.
#include "http/http1head.h"

#include "http/http1chars.h"

namespace Gatehouse {

using namespace Http1Chars;

namespace {

// Eight bytes with 'A'..'Z' turned into 'a'..'z' and every other byte (0x80 and above included)
// left alone. Per byte, on its low seven bits h: h + 0x3f reaches bit 7 when h >= 'A', h + 0x25
// when h > 'Z' (neither carries into the next byte); the byte's own bit 7 rules out non-ASCII.
inline quint64 foldAsciiCase(quint64 x) noexcept
{
    constexpr quint64 kLow7 = 0x7f7f7f7f7f7f7f7full;
    constexpr quint64 kHigh = 0x8080808080808080ull;
    const quint64 h = x & kLow7;
    const quint64 upper = (h + 0x3f3f3f3f3f3f3f3full) & ~(h + 0x2525252525252525ull) & ~x & kHigh;
    return x | (upper >> 2);
}

inline bool wordsEqualIgnoringCase(const char *pa, const char *pb) noexcept
{
    quint64 x;
    quint64 y;
    std::memcpy(&x, pa, 8);
    std::memcpy(&y, pb, 8);
    return x == y || foldAsciiCase(x) == foldAsciiCase(y);
}

} // namespace

// Eight bytes at a time (the last word overlaps the one before): a request's credential field is
// found and dropped by this compare of its name ("Authorization", 13 bytes).
bool httpEqualsIgnoreCaseSameSize(const char *pa, const char *pb, qsizetype size) noexcept
{
    if (size < 8) {
        for (qsizetype i = 0; i < size; ++i) {
            if (pa[i] != pb[i] && toLower(pa[i]) != toLower(pb[i]))
                return false;
        }
        return true;
    }
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        if (!wordsEqualIgnoringCase(pa + i, pb + i))
            return false;
    }
    return i == size || wordsEqualIgnoringCase(pa + size - 8, pb + size - 8);
}

bool httpListContainsToken(QByteArrayView list, QByteArrayView token) noexcept
{
    const char *p = list.data();
    const char *end = p + list.size();
    while (p < end) {
        while (p < end && (isOws(*p) || *p == ','))
            ++p;
        const char *start = p;
        while (p < end && *p != ',')
            ++p;
        const char *stop = p;
        while (stop > start && isOws(stop[-1]))
            --stop;
        if (stop > start && httpEqualsIgnoreCase(QByteArrayView(start, stop - start), token))
            return true;
    }
    return false;
}

QByteArrayView Http1FieldList::value(QByteArrayView name) const noexcept
{
    for (const Http1Field &field : m_fields) {
        if (httpEqualsIgnoreCase(field.name, name))
            return field.value.isNull() ? QByteArrayView("", 0) : field.value;
    }
    return {};
}

qsizetype Http1FieldList::count(QByteArrayView name) const noexcept
{
    qsizetype n = 0;
    for (const Http1Field &field : m_fields) {
        if (httpEqualsIgnoreCase(field.name, name))
            ++n;
    }
    return n;
}

namespace {

// Splits an absolute-form target "scheme://authority/path?query" after the scheme separator.
// Returns the offset of "//" + 2, or -1 when the target has no "://".
qsizetype authorityStart(QByteArrayView target)
{
    const qsizetype sep = target.indexOf("://");
    return sep < 0 ? -1 : sep + 3;
}

qsizetype authorityEnd(QByteArrayView target, qsizetype from)
{
    qsizetype i = from;
    while (i < target.size() && target[i] != '/' && target[i] != '?')
        ++i;
    return i;
}

} // namespace

QByteArrayView Http1Head::pathAndQuery() const
{
    switch (targetForm) {
    case Http1TargetForm::Origin:
        return target;
    case Http1TargetForm::Absolute: {
        const qsizetype start = authorityStart(target);
        const qsizetype end = authorityEnd(target, start);
        if (end == target.size())
            return QByteArrayView("/");
        // "http://h?q" has an empty path; the origin-form equivalent is "/?q" (RFC 9112 §3.2.1),
        // which is not a slice of the target, so callers rebuilding a request line check for '?'.
        return target.sliced(end);
    }
    case Http1TargetForm::Authority:
    case Http1TargetForm::Asterisk:
        break;
    }
    return {};
}

QByteArrayView Http1Head::targetAuthority() const
{
    switch (targetForm) {
    case Http1TargetForm::Absolute: {
        const qsizetype start = authorityStart(target);
        return target.sliced(start, authorityEnd(target, start) - start);
    }
    case Http1TargetForm::Authority:
        return target;
    case Http1TargetForm::Origin:
    case Http1TargetForm::Asterisk:
        break;
    }
    return {};
}

} // namespace Gatehouse
