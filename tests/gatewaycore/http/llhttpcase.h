// Reads llhttp's markdown test cases (test/{request,response}/*.md): the input of each case decoded
// as llhttp's md-test harness does, and the parse log reduced to what Gatehouse can compare.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QRegularExpression>
#include <QString>

namespace Gatehouse::Test {

// One message as llhttp's log tells it.
struct LlhttpMessage
{
    QByteArray method;
    QByteArray url;
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    QList<QPair<QByteArray, QByteArray>> trailers;
    QByteArray body;
    bool headersComplete = false;
    bool chunked = false;        // flag F_CHUNKED (0x08) on "headers complete"
    qint64 contentLength = -1;   // from "headers complete", when flag F_CONTENT_LENGTH (0x20)
    bool complete = false;
};

struct LlhttpCase
{
    QString file;                // "request/transfer-encoding.md"
    QString name;                // the heading above the case
    int line = 0;                // of the ```http fence, 1-based
    QString type;                // meta "type": request, response, request-lenient-headers, ...
    bool skipBody = false;       // meta "skipBody": on_headers_complete asked to skip the body
    QByteArray input;            // decoded bytes fed to the parser
    QList<LlhttpMessage> messages;
    int errorCode = 0;           // "error code=N"; 0 when llhttp reported none
    QByteArray errorReason;
    qint64 errorOffset = -1;
    int finish = -1;             // "finish=N" of -finish cases: 0/1 safe, 2 unsafe

    QString key() const { return file + QLatin1Char('#') + name; }
    bool isRequest() const { return type.startsWith(QLatin1String("request")); }
};

// md-test.ts: strip one trailing newline, join escaped line breaks, newlines become CRLF, then
// expand \r \n \t \f \xHH and octal escapes. Characters are code points, sent as UTF-8 (that is how
// "\xff" becomes two bytes in llhttp's logs).
inline QByteArray decodeLlhttpInput(QString s)
{
    if (s.endsWith(QLatin1Char('\n')))
        s.chop(1);
    s.replace(QRegularExpression(QStringLiteral("\\\\(\\r\\n|\\r|\\n)")), QString());
    s.replace(QRegularExpression(QStringLiteral("\\r\\n|\\r|\\n")), QStringLiteral("\r\n"));
    s.replace(QLatin1String("\\r"), QLatin1String("\r"));
    s.replace(QLatin1String("\\n"), QLatin1String("\n"));
    s.replace(QLatin1String("\\t"), QLatin1String("\t"));
    s.replace(QLatin1String("\\f"), QLatin1String("\f"));
    auto expand = [&s](const QRegularExpression &re, int base) {
        QString out;
        qsizetype last = 0;
        auto it = re.globalMatch(s);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            out += QStringView(s).mid(last, m.capturedStart() - last);
            out += QChar(char16_t(m.captured(1).toULongLong(nullptr, base) & 0xffff));
            last = m.capturedEnd();
        }
        out += QStringView(s).mid(last);
        s = out;
    };
    expand(QRegularExpression(QStringLiteral("\\\\x([0-9a-fA-F]+)")), 16);
    expand(QRegularExpression(QStringLiteral("\\\\([0-7]{1,3})")), 8);
    return s.toUtf8();
}

// Span values in logs are raw between the quotes (\t and \f escaped), or a bare lf/cr/crlf.
inline QByteArray llhttpSpanValue(QString v)
{
    if (v.startsWith(QLatin1Char('"')) && v.endsWith(QLatin1Char('"')) && v.size() >= 2) {
        v = v.mid(1, v.size() - 2);
        v.replace(QLatin1String("\\t"), QLatin1String("\t"));
        v.replace(QLatin1String("\\f"), QLatin1String("\f"));
        return v.toUtf8();
    }
    if (v == QLatin1String("lf"))
        return "\n";
    if (v == QLatin1String("cr"))
        return "\r";
    if (v == QLatin1String("crlf"))
        return "\r\n";
    return v.toUtf8();
}

inline void applyLlhttpLogLine(LlhttpCase &c, const QString &line, QString &lastSpan)
{
    static const QRegularExpression span(QStringLiteral("^off=\\d+ len=\\d+ span\\[(\\w+)\\]=(.*)$"));
    static const QRegularExpression error(QStringLiteral("^off=(\\d+) error code=(\\d+) reason=\"(.*)\"$"));
    static const QRegularExpression headers(QStringLiteral("headers complete .*flags=([0-9a-f]+) content_length=(\\d+)"));
    static const QRegularExpression finish(QStringLiteral("finish=(\\d+)"));
    if (line.endsWith(QLatin1String(" message begin"))) {
        c.messages.append(LlhttpMessage());
        lastSpan.clear();
        return;
    }
    if (c.messages.isEmpty())
        c.messages.append(LlhttpMessage());
    LlhttpMessage &m = c.messages.last();
    if (const auto s = span.match(line); s.hasMatch()) {
        const QString kind = s.captured(1);
        const QByteArray value = llhttpSpanValue(s.captured(2));
        auto &fields = m.headersComplete ? m.trailers : m.headers;
        if (kind == QLatin1String("method"))
            m.method += value;
        else if (kind == QLatin1String("url"))
            m.url += value;
        else if (kind == QLatin1String("status"))
            ; // the reason phrase; the code comes with "headers complete"
        else if (kind == QLatin1String("body"))
            m.body += value;
        else if (kind == QLatin1String("header_field")) {
            if (lastSpan == kind && !fields.isEmpty())
                fields.last().first += value;
            else
                fields.append({value, QByteArray()});
        } else if (kind == QLatin1String("header_value") && !fields.isEmpty())
            fields.last().second += value;
        lastSpan = kind;
        return;
    }
    lastSpan.clear();
    if (const auto h = headers.match(line); h.hasMatch()) {
        m.headersComplete = true;
        const int flags = h.captured(1).toInt(nullptr, 16);
        m.chunked = flags & 0x08;
        if (flags & 0x20)
            m.contentLength = h.captured(2).toLongLong();
        static const QRegularExpression status(QStringLiteral("status=(\\d+)"));
        if (const auto st = status.match(line); st.hasMatch())
            m.status = st.captured(1).toInt();
    } else if (line.endsWith(QLatin1String(" message complete"))) {
        m.complete = true;
    } else if (const auto e = error.match(line); e.hasMatch()) {
        c.errorOffset = e.captured(1).toLongLong();
        c.errorCode = e.captured(2).toInt();
        c.errorReason = e.captured(3).toUtf8();
    } else if (const auto f = finish.match(line); f.hasMatch()) {
        c.finish = f.captured(1).toInt();
    }
}

// All cases of one markdown file; `relative` names it in keys ("request/uri.md").
inline QList<LlhttpCase> readLlhttpCases(const QString &path, const QString &relative)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    QList<LlhttpCase> cases;
    QString heading;
    QJsonObject meta;
    static const QRegularExpression metaLine(QStringLiteral("^<!-- meta=(.*) -->$"));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString &l = lines.at(i);
        if (l.startsWith(QLatin1Char('#'))) {
            heading = l.section(QLatin1Char(' '), 1).trimmed();
        } else if (const auto m = metaLine.match(l); m.hasMatch()) {
            meta = QJsonDocument::fromJson(m.captured(1).toUtf8()).object();
        } else if (l == QLatin1String("```http")) {
            LlhttpCase c;
            c.file = relative;
            c.name = heading;
            c.line = int(i + 1);
            c.type = meta.value(QLatin1String("type")).toString();
            c.skipBody = meta.value(QLatin1String("skipBody")).toBool();
            QString raw;
            for (++i; i < lines.size() && lines.at(i) != QLatin1String("```"); ++i)
                raw += lines.at(i) + QLatin1Char('\n');
            c.input = decodeLlhttpInput(raw);
            while (++i < lines.size() && lines.at(i) != QLatin1String("```log")) { }
            QString lastSpan;
            for (++i; i < lines.size() && lines.at(i) != QLatin1String("```"); ++i)
                applyLlhttpLogLine(c, lines.at(i), lastSpan);
            cases.append(c);
            meta = {};
        }
    }
    return cases;
}

} // namespace Gatehouse::Test
