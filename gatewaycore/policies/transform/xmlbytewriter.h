// XmlByteWriter: writes XML as UTF-8 straight into a QByteArray, for the JSON -> XML converter.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringView>

#include <cstring>

namespace Gatehouse {

// Writes what QXmlStreamWriter (Qt 6.4, no auto-formatting, UTF-8) writes for the same calls,
// byte for byte, without its UTF-16 round trip: the declaration without a newline, a start tag
// left open until content follows (so an element without content is "<a/>", one with empty
// text "<a></a>"), and the same escaping: < > & " in text and attributes, tab, LF and CR as
// character references in attributes. Characters XML 1.0 cannot carry (C0 controls other than
// tab, LF, CR; U+FFFE, U+FFFF) are dropped, as QXmlStreamWriter drops them. An unpaired UTF-16
// surrogate cannot be written at all (QXmlStreamWriter's output breaks off there): it sets
// failed(), and the caller refuses the document.
// Names are written as given; the caller checks that they are XML names.
class XmlByteWriter
{
public:
    explicit XmlByteWriter(qsizetype reserveBytes = 0) { grow(qMax<qsizetype>(reserveBytes, 256)); }

    void startDocument() { put("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"); }
    void endDocument();
    void startElement(QByteArrayView name);
    void attribute(QByteArrayView name, QByteArrayView utf8Value);   // value: valid UTF-8
    void attribute(QByteArrayView name, QStringView value);
    void characters(QByteArrayView utf8Text);                        // text: valid UTF-8
    void characters(QStringView text);
    void endElement(QByteArrayView name);

    bool failed() const { return m_failed; }
    QByteArray take();

private:
    // The output goes through a raw cursor into m_out (QByteArray::append costs a call, a
    // detach check and a capacity check per piece, which dominated the conversion).
    void grow(qsizetype atLeast);
    void put(char c)
    {
        if (m_cursor == m_end)
            grow(1);
        *m_cursor++ = c;
    }
    void put(QByteArrayView bytes)
    {
        const qsizetype n = bytes.size();
        if (m_end - m_cursor < n)
            grow(n);
        const char *from = bytes.data();
        // Names and short texts dominate: overlapping word copies inline instead of a memcpy
        // call (they read and write only the n bytes given).
        if (n >= 8 && n <= 16) {
            copyWord<8>(m_cursor, from);
            copyWord<8>(m_cursor + n - 8, from + n - 8);
        } else if (n >= 4 && n < 8) {
            copyWord<4>(m_cursor, from);
            copyWord<4>(m_cursor + n - 4, from + n - 4);
        } else if (n > 16) {
            std::memcpy(m_cursor, from, size_t(n));
        } else if (n > 0) {   // 1 to 3 bytes
            m_cursor[0] = from[0];
            m_cursor[n / 2] = from[n / 2];
            m_cursor[n - 1] = from[n - 1];
        }
        m_cursor += n;
    }
    template<size_t N>
    static void copyWord(char *to, const char *from)
    {
        char word[N];
        std::memcpy(word, from, N);
        std::memcpy(to, word, N);
    }
    void closeStartTag()
    {
        if (m_startTagOpen) {
            put('>');
            m_startTagOpen = false;
        }
    }
    void escapeUtf8(QByteArrayView text, bool inAttribute);
    void escapeUtf16(QStringView text, bool inAttribute);

    QByteArray m_out;   // m_out.size() is the capacity; the bytes written end at m_cursor
    char *m_cursor = nullptr;
    char *m_end = nullptr;
    bool m_startTagOpen = false;
    bool m_failed = false;
};

} // namespace Gatehouse
