// XmlByteWriter: UTF-8 XML output with QXmlStreamWriter's escaping, without its UTF-16 detour.
#include "xmlbytewriter.h"

#include "bytescan.h"

#include <array>

namespace Gatehouse {

namespace {

// What a byte needs in text: 0 copied, 1 escaped or dropped (see escapeUtf8), 2 the lead byte
// of U+FFFx (EF BF xx), which may be a noncharacter to drop.
constexpr std::array<quint8, 256> kTextClass = [] {
    std::array<quint8, 256> t{};
    for (int c = 0; c < 0x20; ++c)
        t[size_t(c)] = 1;
    t[size_t('\t')] = t[size_t('\n')] = t[size_t('\r')] = 0;
    t[size_t('<')] = t[size_t('>')] = t[size_t('&')] = t[size_t('"')] = 1;
    t[0xEF] = 2;
    return t;
}();

// In attributes tab, LF and CR are references too (attribute-value normalisation would turn them
// into spaces on reading).
constexpr std::array<quint8, 256> kAttributeClass = [] {
    std::array<quint8, 256> t = kTextClass;
    t[size_t('\t')] = t[size_t('\n')] = t[size_t('\r')] = 1;
    return t;
}();

// The replacement for an ASCII character of class 1; empty: dropped.
const char *escapeFor(char c)
{
    switch (c) {
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '&': return "&amp;";
    case '"': return "&quot;";
    case '\t': return "&#9;";
    case '\n': return "&#10;";
    case '\r': return "&#13;";
    default: return "";   // other C0 controls: not XML 1.0 characters
    }
}

// UTF-8 of a code point of at least U+0080, into `out` (4 bytes); returns the length.
qsizetype utf8(char32_t cp, char *out)
{
    if (cp < 0x800) {
        out[0] = char(0xC0 | (cp >> 6));
        out[1] = char(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = char(0xE0 | (cp >> 12));
        out[1] = char(0x80 | ((cp >> 6) & 0x3F));
        out[2] = char(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = char(0xF0 | (cp >> 18));
    out[1] = char(0x80 | ((cp >> 12) & 0x3F));
    out[2] = char(0x80 | ((cp >> 6) & 0x3F));
    out[3] = char(0x80 | (cp & 0x3F));
    return 4;
}

} // namespace

void XmlByteWriter::grow(qsizetype atLeast)
{
    const qsizetype used = m_cursor ? m_cursor - m_out.data() : 0;
    m_out.resize(qMax(m_out.size() * 2, used + atLeast + 256));
    m_cursor = m_out.data() + used;
    m_end = m_out.data() + m_out.size();
}

QByteArray XmlByteWriter::take()
{
    m_out.truncate(m_cursor - m_out.data());
    m_cursor = m_end = nullptr;
    return std::move(m_out);
}

void XmlByteWriter::endDocument()
{
    put('\n');
}

void XmlByteWriter::startElement(QByteArrayView name)
{
    closeStartTag();
    put('<');
    put(name);
    m_startTagOpen = true;
}

void XmlByteWriter::attribute(QByteArrayView name, QByteArrayView utf8Value)
{
    put(' ');
    put(name);
    put("=\"");
    escapeUtf8(utf8Value, true);
    put('"');
}

void XmlByteWriter::attribute(QByteArrayView name, QStringView value)
{
    put(' ');
    put(name);
    put("=\"");
    escapeUtf16(value, true);
    put('"');
}

void XmlByteWriter::characters(QByteArrayView utf8Text)
{
    closeStartTag();
    escapeUtf8(utf8Text, false);
}

void XmlByteWriter::characters(QStringView text)
{
    closeStartTag();
    escapeUtf16(text, false);
}

void XmlByteWriter::endElement(QByteArrayView name)
{
    if (m_startTagOpen) {
        put("/>");
        m_startTagOpen = false;
        return;
    }
    put("</");
    put(name);
    put('>');
}

void XmlByteWriter::escapeUtf8(QByteArrayView text, bool inAttribute)
{
    const std::array<quint8, 256> &classOf = inAttribute ? kAttributeClass : kTextClass;
    const char *p = text.data();
    const char *const end = p + text.size();
    const char *run = p;   // start of the bytes not yet copied
    while (p != end) {
        if (end - p >= 8 && ByteScan::xmlTextPlain(ByteScan::load(p))) {
            p += 8;
            continue;
        }
        const quint8 kind = classOf[quint8(*p)];
        if (kind == 0) {
            ++p;
            continue;
        }
        if (kind == 2) {   // EF BF BE / EF BF BF: U+FFFE, U+FFFF
            if (end - p >= 3 && quint8(p[1]) == 0xBF && (quint8(p[2]) & 0xFE) == 0xBE) {
                put(QByteArrayView(run, p - run));
                p += 3;
                run = p;
            } else {
                ++p;
            }
            continue;
        }
        put(QByteArrayView(run, p - run));
        put(escapeFor(*p));
        run = ++p;
    }
    put(QByteArrayView(run, p - run));
}

void XmlByteWriter::escapeUtf16(QStringView text, bool inAttribute)
{
    const std::array<quint8, 256> &classOf = inAttribute ? kAttributeClass : kTextClass;
    const char16_t *p = text.utf16();
    const char16_t *const end = p + text.size();
    while (p != end) {
        const char16_t c = *p++;
        if (c < 0x80) {
            if (classOf[c] == 0)
                put(char(c));
            else
                put(escapeFor(char(c)));
            continue;
        }
        char32_t cp = c;
        if (c >= 0xD800 && c <= 0xDFFF) {
            if (c >= 0xDC00 || p == end || *p < 0xDC00 || *p > 0xDFFF) {
                m_failed = true;   // unpaired surrogate: no character at all
                continue;
            }
            cp = 0x10000 + ((char32_t(c) - 0xD800) << 10) + (char32_t(*p++) - 0xDC00);
        } else if (c >= 0xFFFE) {
            continue;
        }
        char bytes[4];
        put(QByteArrayView(bytes, utf8(cp, bytes)));
    }
}

} // namespace Gatehouse
