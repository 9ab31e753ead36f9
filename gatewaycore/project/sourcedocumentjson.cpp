// SourceDocument's JSON position index: where each value of a QJsonDocument-accepted text starts.
#include "sourcedocumentreaders.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <vector>

namespace Gatehouse::SourceReaders {

namespace {

// Walks text already accepted by QJsonDocument and records where every value (and key) starts,
// counting lines and columns as it goes so minified one-line files cost no more than others.
class JsonPositionScanner
{
public:
    using Place = SourceDocument::Place;

    JsonPositionScanner(const QByteArray &text, QHash<QString, Place> &out, QList<DuplicateKey> &duplicates)
        : m_text(text), m_out(out), m_duplicates(duplicates)
    {}

    void run(qsizetype start)
    {
        m_i = start;
        scanValue(QString(), 0, 0, 0);
    }

private:
    void step()
    {
        const char c = m_text[m_i++];
        if (c == '\n') {
            ++m_line;
            m_column = 1;
        } else if ((uchar(c) & 0xC0) != 0x80) {
            ++m_column;
        }
    }

    void skipSpace()
    {
        while (m_i < m_text.size()) {
            const char c = m_text[m_i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                break;
            step();
        }
    }

    QString readString()
    {
        step();   // opening quote
        QString out;
        qsizetype run = m_i;
        auto flush = [&] { out += QString::fromUtf8(m_text.constData() + run, m_i - run); };
        while (m_i < m_text.size() && m_text[m_i] != '"') {
            if (m_text[m_i] != '\\') {
                step();
                continue;
            }
            flush();
            step();
            if (m_i >= m_text.size())
                break;
            const char c = m_text[m_i];
            step();
            switch (c) {
            case 'b': out += u'\b'; break;
            case 'f': out += u'\f'; break;
            case 'n': out += u'\n'; break;
            case 'r': out += u'\r'; break;
            case 't': out += u'\t'; break;
            case 'u': {
                unsigned code = 0;
                const char *first = m_text.constData() + m_i;
                const auto [end, ec] = std::from_chars(first, first + std::min<qsizetype>(4, m_text.size() - m_i),
                                                       code, 16);
                for (qsizetype n = end - first; n > 0; --n)
                    step();
                out += QChar(char16_t(code));   // surrogate halves pair up in UTF-16
                break;
            }
            default: out += QLatin1Char(c); break;
            }
            run = m_i;
        }
        flush();
        if (m_i < m_text.size())
            step();   // closing quote
        return out;
    }

    void scanValue(const QString &pointer, int keyLine, int keyColumn, int depth)
    {
        skipSpace();
        if (m_i >= m_text.size() || depth > kMaxDepth * 8)
            return;
        m_out.insert(pointer, {m_line, m_column, keyLine, keyColumn});
        const char c = m_text[m_i];
        if (c == '{' || c == '[') {
            const char close = c == '{' ? '}' : ']';
            step();
            qsizetype index = 0;
            for (;;) {
                skipSpace();
                if (m_i >= m_text.size())
                    return;
                if (m_text[m_i] == close) {
                    step();
                    return;
                }
                if (m_text[m_i] == ',') {
                    step();
                    continue;
                }
                if (close == ']') {
                    scanValue(JsonPointer::child(pointer, index++), 0, 0, depth + 1);
                    continue;
                }
                const int line = m_line, column = m_column;
                const QString key = readString();
                skipSpace();
                if (m_i < m_text.size())
                    step();   // ':'
                const QString child = JsonPointer::child(pointer, key);
                if (m_out.contains(child))
                    m_duplicates.append({key, line, column});   // QJsonDocument kept the last one
                scanValue(child, line, column, depth + 1);
            }
        }
        if (c == '"') {
            readString();
            return;
        }
        while (m_i < m_text.size() && !std::strchr(",]} \t\r\n", m_text[m_i]))
            step();
    }

    const QByteArray &m_text;
    QHash<QString, Place> &m_out;
    QList<DuplicateKey> &m_duplicates;
    qsizetype m_i = 0;
    int m_line = 1;
    int m_column = 1;
};

} // namespace

SourceLocation locationAt(const QByteArray &text, qsizetype offset, const QString &file)
{
    offset = std::clamp<qsizetype>(offset, 0, text.size());
    int line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    int column = 1;
    for (qsizetype i = lineStart; i < offset; ++i) {
        if ((uchar(text[i]) & 0xC0) != 0x80)
            ++column;
    }
    return {file, line, column};
}

QList<DuplicateKey> indexJson(const QByteArray &text, qsizetype start, QHash<QString, Place> &places)
{
    places.reserve(text.size() / 24);
    QList<DuplicateKey> duplicates;
    JsonPositionScanner(text, places, duplicates).run(start);
    return duplicates;
}

} // namespace Gatehouse::SourceReaders
