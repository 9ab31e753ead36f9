// SourceDocument's YAML reader: JSON values built straight from yaml-cpp's parse events.
#include "sourcedocumentreaders.h"

#include <QJsonArray>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <istream>
#include <limits>
#include <streambuf>
#include <string>
#include <unordered_map>
#include <vector>

namespace Gatehouse::SourceReaders {

namespace {

bool matchesInt(std::string_view s, int &base, std::string_view &digits, bool &negative)
{
    negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        negative = s[0] == '-';
        s.remove_prefix(1);
    }
    base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o') && !negative) {
        base = s[1] == 'x' ? 16 : 8;
        s.remove_prefix(2);
    }
    if (s.empty())
        return false;
    for (char c : s) {
        const bool ok = base == 16 ? std::isxdigit(uchar(c)) != 0
                                   : (c >= '0' && c < char('0' + std::min(base, 10)));
        if (!ok)
            return false;
    }
    digits = s;
    return true;
}

bool matchesFloat(std::string_view s)
{
    size_t i = 0;
    auto digits = [&] {
        const size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        return i - start;
    };
    if (i < s.size() && (s[i] == '-' || s[i] == '+'))
        ++i;
    const size_t intDigits = digits();
    size_t fracDigits = 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        fracDigits = digits();
    }
    if (intDigits == 0 && fracDigits == 0)
        return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+'))
            ++i;
        if (digits() == 0)
            return false;
    }
    return i == s.size();
}

// YAML 1.2 core schema resolution of a plain (unquoted, untagged) scalar.
QJsonValue plainScalar(const std::string &s)
{
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return QJsonValue(QJsonValue::Null);
    if (s == "true" || s == "True" || s == "TRUE")
        return true;
    if (s == "false" || s == "False" || s == "FALSE")
        return false;
    const char c = s[0];
    const bool numeric = (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
    if (!numeric)
        return QString::fromStdString(s);
    int base = 10;
    std::string_view digits;
    bool negative = false;
    if (matchesInt(s, base, digits, negative)) {
        quint64 magnitude = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(),
                                               magnitude, base);
        if (ec == std::errc() && end == digits.data() + digits.size()
            && magnitude <= quint64(std::numeric_limits<qint64>::max())) {
            return negative ? -qint64(magnitude) : qint64(magnitude);
        }
    }
    std::string_view view(s);
    if (matchesFloat(view)) {
        const bool minus = view[0] == '-';
        if (view[0] == '-' || view[0] == '+')
            view.remove_prefix(1);
        double d = 0;
        std::from_chars(view.data(), view.data() + view.size(), d);
        return minus ? -d : d;
    }
    std::string_view special(s);
    const bool minus = special[0] == '-';
    if (special[0] == '-' || special[0] == '+')
        special.remove_prefix(1);
    if (special == ".inf" || special == ".Inf" || special == ".INF")
        return minus ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    if (s == ".nan" || s == ".NaN" || s == ".NAN")
        return std::numeric_limits<double>::quiet_NaN();
    return QString::fromStdString(s);
}

QJsonValue taggedScalar(const std::string &tag, const std::string &s)
{
    static const std::string core = "tag:yaml.org,2002:";
    if (tag.compare(0, core.size(), core) == 0) {
        const std::string kind = tag.substr(core.size());
        const QJsonValue plain = plainScalar(s);
        if ((kind == "int" || kind == "float") && plain.isDouble())
            return plain;
        if (kind == "bool" && plain.isBool())
            return plain;
        if (kind == "null" && plain.isNull())
            return plain;
    }
    return QString::fromStdString(s);   // "!" (quoted), !!str, !!binary, custom tags
}

// Builds JSON values straight from yaml-cpp's parse events: no node tree to build and free, and
// an alias shares the anchored value (Qt's implicit sharing), so "billion laughs" costs nothing.
class YamlBuilder : public YAML::EventHandler
{
public:
    using Place = SourceDocument::Place;

    YamlBuilder(const QString &file, Diagnostics &diagnostics, qint64 eventBudget,
                QHash<QString, Place> &places, QHash<QString, QString> &numberTexts)
        : m_file(file), m_diags(diagnostics), m_budget(eventBudget), m_places(places), m_numberTexts(numberTexts)
    {}

    bool failed() const { return m_fatal; }
    QJsonValue root() const { return m_root; }

    void OnDocumentStart(const YAML::Mark &) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        if (keyExpected()) {
            key(QStringLiteral("null"), mark, false);
            return;
        }
        value(QJsonValue(QJsonValue::Null), mark, anchor, nullptr);
    }

    void OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        const auto it = m_anchors.find(anchor);
        QJsonValue v(QJsonValue::Null);
        if (it == m_anchors.end())
            fail(mark, QStringLiteral("a YAML alias refers to a value that contains it"));
        else
            v = it->second;
        if (keyExpected()) {
            if (!v.isString())
                error(mark, QStringLiteral("a map key must be a string, found %1").arg(jsonKindName(v)));
            key(v.toString(), mark, false);
            return;
        }
        value(v, mark, 0, nullptr);
    }

    void OnScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor,
                  const std::string &text) override
    {
        if (keyExpected()) {
            const QString name = QString::fromStdString(text);
            if (anchor)
                m_anchors[anchor] = name;
            key(name, mark, tag == "?" && text == "<<");
            return;
        }
        const QJsonValue v = tag == "?" ? plainScalar(text) : taggedScalar(tag, text);
        value(v, mark, anchor, v.isDouble() ? &text : nullptr);
    }

    void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override
    {
        open(Frame::Sequence, mark, anchor);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override
    {
        open(Frame::Map, mark, anchor);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame
    {
        enum Kind { Map, Sequence } kind = Map;
        QString pointer;
        YAML::anchor_t anchor = 0;
        bool discard = false;        // a complex key, or the value of a duplicate key
        QJsonObject object;
        QJsonArray array;
        QJsonArray merges;           // values of "<<" merge keys, applied when the map ends
        // The pending key of a map: its name, where it is written, what follows it.
        QString key;
        YAML::Mark keyMark;
        bool haveKey = false;
        bool keyIsMerge = false;
        bool skipValue = false;
    };

    SourceLocation where(const YAML::Mark &m) const
    {
        if (m.is_null() || m.line < 0)
            return {m_file, 0, 0};
        return {m_file, m.line + 1, m.column + 1};
    }
    void error(const YAML::Mark &m, const QString &message)
    {
        // A broken document can produce an error per value: the first few say enough.
        if (!m_fatal && ++m_errors <= 10)
            m_diags.error(where(m), message);
    }
    void fail(const YAML::Mark &m, const QString &message)
    {
        if (m_fatal)
            return;
        // The document is refused for this reason alone; earlier findings would only distract.
        m_diags = Diagnostics();
        m_diags.error(where(m), message);
        m_fatal = true;
    }

    bool keyExpected() const
    {
        return !m_stack.empty() && m_stack.back().kind == Frame::Map && !m_stack.back().haveKey;
    }

    void key(const QString &name, const YAML::Mark &mark, bool merge)
    {
        Frame &f = m_stack.back();
        f.key = name;
        f.keyMark = mark;
        f.haveKey = true;
        f.keyIsMerge = merge;
        f.skipValue = false;
        if (!merge && !f.discard && f.object.contains(name)) {
            error(mark, QStringLiteral("duplicate key '%1': a key may appear only once in a map").arg(name));
            f.skipValue = true;
        }
    }

    // The pointer of the value about to be added to the innermost container, and its key's place.
    QString childPointer(YAML::Mark *keyMark) const
    {
        if (m_stack.empty())
            return {};
        const Frame &f = m_stack.back();
        if (f.kind == Frame::Sequence)
            return JsonPointer::child(f.pointer, f.array.size());
        *keyMark = f.keyMark;
        return f.keyIsMerge ? f.pointer : JsonPointer::child(f.pointer, f.key);
    }

    void record(const QString &pointer, const YAML::Mark &mark, const YAML::Mark &keyMark)
    {
        if (m_places.contains(pointer))
            return;   // the first place wins (duplicate keys are reported and dropped)
        Place place;
        if (!mark.is_null() && mark.line >= 0)
            place = {mark.line + 1, mark.column + 1, 0, 0};
        if (!keyMark.is_null() && keyMark.line >= 0)
            place.keyLine = keyMark.line + 1, place.keyColumn = keyMark.column + 1;
        m_places.insert(pointer, place);
    }

    bool spend(const YAML::Mark &mark)
    {
        if (m_fatal)
            return false;
        if (--m_budget < 0 || m_stack.size() > size_t(kMaxDepth)) {
            fail(mark, m_budget < 0 ? QStringLiteral("the document has too many values")
                                    : QStringLiteral("the document is nested more than %1 levels deep")
                                          .arg(kMaxDepth));
            return false;
        }
        return true;
    }

    void value(const QJsonValue &v, const YAML::Mark &mark, YAML::anchor_t anchor, const std::string *number)
    {
        if (!spend(mark))
            return;
        if (anchor)
            m_anchors[anchor] = v;
        YAML::Mark keyMark = YAML::Mark::null_mark();
        const QString pointer = childPointer(&keyMark);
        const bool dropped = !m_stack.empty() && (m_stack.back().discard || m_stack.back().skipValue);
        if (!dropped) {
            record(pointer, mark, keyMark);
            if (number)
                m_numberTexts.insert(pointer, QString::fromStdString(*number));
        }
        attach(v);
    }

    void attach(const QJsonValue &v)
    {
        if (m_stack.empty()) {
            m_root = v;
            return;
        }
        Frame &f = m_stack.back();
        if (f.kind == Frame::Sequence) {
            f.array.append(v);
            return;
        }
        if (f.keyIsMerge)
            f.merges.append(v);
        else if (!f.skipValue && !f.discard)
            f.object.insert(f.key, v);
        f.haveKey = false;
    }

    void open(Frame::Kind kind, const YAML::Mark &mark, YAML::anchor_t anchor)
    {
        if (!spend(mark))
            return;
        Frame frame;
        frame.kind = kind;
        frame.anchor = anchor;
        if (keyExpected()) {
            // A map or list used as a key: not expressible in JSON. Read it, then drop its value.
            error(mark, QStringLiteral("a map key must be a string, found %1")
                            .arg(kind == Frame::Map ? QStringLiteral("a map") : QStringLiteral("a list")));
            frame.discard = true;
            m_stack.back().skipValue = true;
        } else {
            YAML::Mark keyMark = YAML::Mark::null_mark();
            frame.pointer = childPointer(&keyMark);
            frame.discard = !m_stack.empty() && (m_stack.back().discard || m_stack.back().skipValue);
            if (!frame.discard)
                record(frame.pointer, mark, keyMark);
        }
        m_stack.push_back(std::move(frame));
    }

    void close()
    {
        if (m_fatal || m_stack.empty())
            return;
        Frame f = std::move(m_stack.back());
        m_stack.pop_back();
        QJsonValue v;
        if (f.kind == Frame::Sequence) {
            v = f.array;
        } else {
            // YAML merge keys (yaml-cpp leaves them to us): explicit keys win, earlier maps win.
            for (const QJsonValue &merge : std::as_const(f.merges)) {
                const QJsonArray sources = merge.isArray() ? merge.toArray() : QJsonArray{merge};
                for (const QJsonValue &source : sources) {
                    if (!source.isObject()) {
                        error({}, QStringLiteral("a merge key '<<' must be followed by a map or a list of maps"));
                        continue;
                    }
                    const QJsonObject from = source.toObject();
                    for (auto it = from.begin(); it != from.end(); ++it) {
                        if (!f.object.contains(it.key()))
                            f.object.insert(it.key(), it.value());
                    }
                }
            }
            v = f.object;
        }
        if (f.anchor)
            m_anchors[f.anchor] = v;
        if (f.discard && !m_stack.empty() && m_stack.back().kind == Frame::Map && !m_stack.back().haveKey) {
            // The dropped complex key: its value follows and is dropped as well.
            Frame &parent = m_stack.back();
            parent.haveKey = true;
            parent.keyIsMerge = false;
            parent.skipValue = true;
            return;
        }
        attach(v);
    }

    QString m_file;
    Diagnostics &m_diags;
    qint64 m_budget;
    QHash<QString, Place> &m_places;
    QHash<QString, QString> &m_numberTexts;
    std::vector<Frame> m_stack;
    std::unordered_map<YAML::anchor_t, QJsonValue> m_anchors;
    QJsonValue m_root{QJsonValue::Null};
    bool m_fatal = false;
    int m_errors = 0;
};

// An std::istream over bytes we already hold, so yaml-cpp reads them without a copy.
class ByteStreamBuffer : public std::streambuf
{
public:
    explicit ByteStreamBuffer(const QByteArray &bytes)
    {
        char *begin = const_cast<char *>(bytes.constData());
        setg(begin, begin, begin + bytes.size());
    }
};

// A handler that ignores everything: used to learn whether a second YAML document follows.
class NullHandler : public YAML::EventHandler
{
public:
    YAML::Mark start;
    void OnDocumentStart(const YAML::Mark &mark) override { start = mark; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark &, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark &, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark &, const std::string &, YAML::anchor_t, const std::string &) override {}
    void OnSequenceStart(const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark &, const std::string &, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
};

} // namespace

std::optional<QJsonValue> readYaml(const QByteArray &text, const QString &displayPath, Diagnostics &diagnostics,
                                   QHash<QString, Place> &places, QHash<QString, QString> &numberTexts)
{
    Diagnostics yamlDiagnostics;
    std::optional<QJsonValue> root;
    YamlBuilder builder(displayPath, yamlDiagnostics, 100'000 + 2 * text.size(), places, numberTexts);
    try {
        ByteStreamBuffer buffer(text);
        std::istream stream(&buffer);
        YAML::Parser parser(stream);
        places.reserve(text.size() / 24);
        parser.HandleNextDocument(builder);
        if (!builder.failed()) {
            NullHandler rest;
            if (parser.HandleNextDocument(rest)) {
                const YAML::Mark &m = rest.start;
                yamlDiagnostics.error({displayPath, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1},
                                      QStringLiteral("the file holds several YAML documents (separated by "
                                                     "'---'); an API file must hold exactly one"));
            } else {
                root = builder.root();
            }
        }
    } catch (const YAML::Exception &e) {
        // Our own refusal (too deep, too big) explains more than what yaml-cpp says after it;
        // otherwise the syntax error is the one thing to report (key errors before it are echoes).
        if (!builder.failed()) {
            const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
            const int column = e.mark.is_null() ? 0 : e.mark.column + 1;
            yamlDiagnostics = Diagnostics();
            yamlDiagnostics.error({displayPath, line, column},
                                  QStringLiteral("YAML syntax error: %1").arg(QString::fromStdString(e.msg)));
        }
    } catch (const std::exception &e) {
        yamlDiagnostics.error({displayPath, 0, 0},
                              QStringLiteral("cannot read the file: %1").arg(QString::fromLocal8Bit(e.what())));
    } catch (...) {
        yamlDiagnostics.error({displayPath, 0, 0}, QStringLiteral("cannot read the file"));
    }
    diagnostics.append(yamlDiagnostics);
    return root;
}

} // namespace Gatehouse::SourceReaders
