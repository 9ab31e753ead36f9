// Field lookup and token-list helpers of Http1Head; nothing here allocates.
#include "http/http1head.h"

#include "http/http1chars.h"

namespace Gatehouse {

using namespace Http1Chars;

bool httpEqualsIgnoreCaseSameSize(const char *pa, const char *pb, qsizetype size) noexcept
{
    for (qsizetype i = 0; i < size; ++i) {
        if (pa[i] != pb[i] && toLower(pa[i]) != toLower(pb[i]))
            return false;
    }
    return true;
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
