// Parsers for the value syntaxes of gatehouse.yaml; see settingsvalues.h.
#include "settingsvalues.h"

#include <QRegularExpression>

#include <algorithm>
#include <limits>
#include <vector>

namespace Gatehouse::SettingsValues {

namespace {

struct Unit
{
    QStringView suffix;
    qint64 factor;
};

// Splits "1m30s" into (number, suffix) pairs; false on anything else. Digits only: no signs, no
// fractions, so "-5s" and "1.5s" are refused with the same message.
bool splitTerms(QStringView text, QList<std::pair<qint64, QString>> &terms)
{
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype digitsStart = i;
        while (i < text.size() && text[i].isDigit() && text[i].unicode() < 128)
            ++i;
        if (i == digitsStart || i - digitsStart > 15)
            return false;
        bool ok = false;
        const qint64 number = text.mid(digitsStart, i - digitsStart).toLongLong(&ok);
        const qsizetype unitStart = i;
        while (i < text.size() && text[i].isLetter())
            ++i;
        if (!ok || i == unitStart)
            return false;
        terms.append({number, text.mid(unitStart, i - unitStart).toString()});
    }
    return !terms.isEmpty();
}

bool multiplyAdd(qint64 &total, qint64 number, qint64 factor)
{
    if (number > (std::numeric_limits<qint64>::max() - total) / factor)
        return false;
    total += number * factor;
    return true;
}

} // namespace

Result<std::chrono::milliseconds> parseDuration(const QString &input)
{
    const QString text = input.trimmed();
    if (text == u"0")
        return std::chrono::milliseconds(0);
    static const Unit units[] = {{u"ms", 1}, {u"s", 1000}, {u"m", 60'000}, {u"h", 3'600'000},
                                 {u"d", 86'400'000}};
    QList<std::pair<qint64, QString>> terms;
    const QString hint = QStringLiteral("use a whole number and a unit (ms, s, m, h, d), e.g. \"250ms\", "
                                        "\"5s\" or \"1m30s\"");
    if (!splitTerms(text, terms))
        return Error::config(QStringLiteral("'%1' is not a duration: %2").arg(input, hint));
    qint64 total = 0;
    for (const auto &term : terms) {
        // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
        const qint64 number = term.first;
        const QString &suffix = term.second;
        const auto unit = std::find_if(std::begin(units), std::end(units),
                                       [&](const Unit &u) { return u.suffix == suffix; });
        if (unit == std::end(units)) {
            return Error::config(QStringLiteral("unknown duration unit '%1' in '%2': %3")
                                     .arg(suffix, input, hint));
        }
        if (!multiplyAdd(total, number, unit->factor))
            return Error::config(QStringLiteral("duration '%1' is too large").arg(input));
    }
    return std::chrono::milliseconds(total);
}

Result<qint64> parseSize(const QString &input)
{
    const QString text = input.trimmed();
    if (text == u"0")
        return qint64(0);
    static const Unit units[] = {{u"B", 1},
                                 {u"KiB", qint64(1) << 10}, {u"MiB", qint64(1) << 20},
                                 {u"GiB", qint64(1) << 30}, {u"TiB", qint64(1) << 40},
                                 {u"KB", 1000}, {u"kB", 1000}, {u"MB", 1'000'000},
                                 {u"GB", 1'000'000'000}, {u"TB", 1'000'000'000'000}};
    const QString hint = QStringLiteral("use a whole number and a unit (B, KiB, MiB, GiB, or KB, MB, GB), "
                                        "e.g. \"64KiB\" or \"10MiB\"");
    QList<std::pair<qint64, QString>> terms;
    if (!splitTerms(text, terms) || terms.size() != 1)
        return Error::config(QStringLiteral("'%1' is not a size: %2").arg(input, hint));
    const qint64 number = terms.first().first;
    const QString &suffix = terms.first().second;
    const auto unit = std::find_if(std::begin(units), std::end(units),
                                   [&](const Unit &u) { return u.suffix == suffix; });
    if (unit == std::end(units))
        return Error::config(QStringLiteral("unknown size unit '%1' in '%2': %3").arg(suffix, input, hint));
    qint64 total = 0;
    if (!multiplyAdd(total, number, unit->factor))
        return Error::config(QStringLiteral("size '%1' is too large").arg(input));
    return total;
}

Result<SecretRef> parseSecretRef(const QString &text)
{
    SecretRef ref;
    if (!text.startsWith(u"${") || !text.endsWith(u'}')) {
        ref.literal = text;
        return ref;
    }
    const QString inner = text.mid(2, text.size() - 3);
    const qsizetype colon = inner.indexOf(u':');
    const QString kind = colon < 0 ? inner : inner.left(colon);
    const QString arg = colon < 0 ? QString() : inner.mid(colon + 1);
    if (kind == u"env") {
        static const QRegularExpression name(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        if (!name.match(arg).hasMatch()) {
            return Error::config(QStringLiteral("'%1' is not a valid environment variable reference: "
                                                "write ${env:NAME} with NAME made of letters, digits "
                                                "and underscores").arg(text));
        }
        ref.envName = arg;
        return ref;
    }
    if (kind == u"file") {
        if (arg.trimmed().isEmpty())
            return Error::config(QStringLiteral("'%1' names no file: write ${file:path}").arg(text));
        ref.filePath = arg;
        return ref;
    }
    return Error::config(QStringLiteral("unknown secret reference '%1': use ${env:NAME} or ${file:path}")
                             .arg(text));
}

Result<RedisStore> parseRedisUrl(const QString &text)
{
    const auto bad = [&](const QString &why) {
        return Error::config(QStringLiteral("'%1' is not a valid Redis store: %2 (expected "
                                            "redis://host[:port][/db])").arg(text, why));
    };
    const QString prefix = QStringLiteral("redis://");
    if (!text.startsWith(prefix))
        return bad(QStringLiteral("the scheme must be redis://"));
    QString rest = text.mid(prefix.size());
    if (rest.contains(u'@'))
        return bad(QStringLiteral("credentials do not belong in the URL; set throttling.redisPassword"));
    if (rest.contains(u'?') || rest.contains(u'#'))
        return bad(QStringLiteral("query and fragment are not supported"));
    RedisStore store;
    const qsizetype slash = rest.indexOf(u'/');
    if (slash >= 0) {
        const QString db = rest.mid(slash + 1);
        rest.truncate(slash);
        bool ok = false;
        const int n = db.toInt(&ok);
        if (!db.isEmpty() && (!ok || n < 0 || n > 65535 || !db.front().isDigit()))
            return bad(QStringLiteral("the database must be a number, found '%1'").arg(db));
        store.database = db.isEmpty() ? 0 : n;
    }
    QString port;
    if (rest.startsWith(u'[')) {
        const qsizetype close = rest.indexOf(u']');
        if (close < 0)
            return bad(QStringLiteral("unterminated IPv6 address"));
        store.host = rest.mid(1, close - 1);
        const QString after = rest.mid(close + 1);
        if (!after.isEmpty() && !after.startsWith(u':'))
            return bad(QStringLiteral("unexpected text after the host"));
        port = after.mid(1);
        if (after.startsWith(u':') && port.isEmpty())
            return bad(QStringLiteral("empty port"));
    } else {
        const qsizetype colon = rest.indexOf(u':');
        store.host = colon < 0 ? rest : rest.left(colon);
        if (colon >= 0) {
            port = rest.mid(colon + 1);
            if (port.isEmpty())
                return bad(QStringLiteral("empty port"));
        }
    }
    static const QRegularExpression hostChars(QStringLiteral("^[A-Za-z0-9._:-]+$"));
    if (store.host.isEmpty() || !hostChars.match(store.host).hasMatch())
        return bad(QStringLiteral("missing or invalid host"));
    if (!port.isEmpty()) {
        bool ok = false;
        const int n = port.toInt(&ok);
        if (!ok || n < 1 || n > 65535 || !port.front().isDigit())
            return bad(QStringLiteral("the port must be between 1 and 65535, found '%1'").arg(port));
        store.port = quint16(n);
    }
    return store;
}

int editDistance(QStringView a, QStringView b)
{
    // Optimal string alignment: Levenshtein plus adjacent transpositions, the commonest typo
    // ("prot" for "port" is one edit, not two).
    const QString x = a.toString().toCaseFolded(), y = b.toString().toCaseFolded();
    const size_t n = size_t(x.size()), m = size_t(y.size());
    std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
    for (size_t i = 0; i <= n; ++i)
        d[i][0] = int(i);
    for (size_t j = 0; j <= m; ++j)
        d[0][j] = int(j);
    for (size_t i = 1; i <= n; ++i) {
        for (size_t j = 1; j <= m; ++j) {
            const int cost = x[qsizetype(i - 1)] == y[qsizetype(j - 1)] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && x[qsizetype(i - 1)] == y[qsizetype(j - 2)] && x[qsizetype(i - 2)] == y[qsizetype(j - 1)])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

QString closestMatch(const QString &word, const QStringList &candidates)
{
    // Two edits for words of four letters or more, a third of the length for long ones: catches
    // typos without proposing unrelated short keys ("tls" for "ttl").
    const int budget = word.size() <= 3 ? 1 : std::max<int>(2, int(word.size() / 3));
    QString best;
    int bestDistance = budget + 1;
    for (const QString &candidate : candidates) {
        const int distance = editDistance(word, candidate);
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    return best;
}

QString joinAlternatives(const QStringList &values)
{
    if (values.size() <= 1)
        return values.value(0);
    return QStringList(values.mid(0, values.size() - 1)).join(QStringLiteral(", "))
           + QStringLiteral(" or ") + values.last();
}

} // namespace Gatehouse::SettingsValues
