// Numbers in json-to-xml's direct route: writeShortDecimal (the literal's digits and one exact
// integer product instead of parsing and formatting a double) gives exactly what writeJsonNumber
// gives for the double the literal names, or declines; random literals of every shape, the edges
// of its range, and whole bodies against the parse-then-convert route.
#include "policies/transform/jsonxml.h"
#include "policies/transform/jsonxmlrules.h"
#include "policies/validate/operationschemas.h"

#include <QTest>

#include <charconv>
#include <random>

using namespace Gatehouse;

namespace {

QByteArray reference(const QByteArray &literal)
{
    double d = 0;
    std::from_chars(literal.constData(), literal.constData() + literal.size(), d);
    char text[kJsonNumberMaxBytes];
    return QByteArray(text, writeJsonNumber(d, text));
}

QByteArray shortDecimal(const QByteArray &literal)
{
    char text[kJsonNumberMaxBytes];
    return QByteArray(text, writeShortDecimal(literal, text));
}

} // namespace

class tst_JsonBodyNumbers : public QObject
{
    Q_OBJECT
private slots:
    void edges_data();
    void edges();
    void randomLiteralsMatchTheDoublesText();
    void bodiesMatchParseThenConvert();
};

void tst_JsonBodyNumbers::edges_data()
{
    QTest::addColumn<QByteArray>("literal");
    QTest::addColumn<QByteArray>("text");   // empty: declined (the caller converts)
    QTest::newRow("a price keeps its digits") << QByteArray("10.99") << QByteArray("10.99");
    QTest::newRow("a price whose double shows at 17 digits") << QByteArray("9.95") << QByteArray("9.9499999999999993");
    QTest::newRow("trailing zeros of the fraction go") << QByteArray("1.50") << QByteArray("1.5");
    QTest::newRow("a negative fraction") << QByteArray("-0.5") << QByteArray("-0.5");
    QTest::newRow("one tenth as its double") << QByteArray("0.1") << QByteArray("0.10000000000000001");
    QTest::newRow("the smallest leading digit written without exponent") << QByteArray("0.0001") << QByteArray("0.0001");
    QTest::newRow("smaller ones take the exponent form: declined") << QByteArray("0.00001") << QByteArray();
    QTest::newRow("an integral value is written as an integer: declined") << QByteArray("100.0") << QByteArray();
    QTest::newRow("an integer literal: declined") << QByteArray("42") << QByteArray();
    QTest::newRow("an exponent: declined") << QByteArray("1.5e3") << QByteArray();
    QTest::newRow("sixteen significant digits: declined") << QByteArray("1234567890.123456") << QByteArray();
    QTest::newRow("fifteen significant digits") << QByteArray("12345678901234.5") << QByteArray("12345678901234.5");
    QTest::newRow("zero: declined") << QByteArray("-0.0") << QByteArray();
    QTest::newRow("leading zeros of the fraction count for its place") << QByteArray("0.00123") << QByteArray("0.00123");
}

void tst_JsonBodyNumbers::edges()
{
    QFETCH(QByteArray, literal);
    QFETCH(QByteArray, text);
    QCOMPARE(shortDecimal(literal), text);
    if (!text.isEmpty())
        QCOMPARE(text, reference(literal));
}

void tst_JsonBodyNumbers::randomLiteralsMatchTheDoublesText()
{
    std::mt19937_64 random(2026);
    int taken = 0;
    constexpr int kCount = 400'000;
    for (int i = 0; i < kCount; ++i) {
        // [-] integer part (0 or 1-16 digits) . fraction (1-22 digits), digits skewed to short.
        QByteArray literal;
        if (random() % 4 == 0)
            literal += '-';
        const int integerDigits = int(random() % 17);
        if (integerDigits == 0) {
            literal += '0';
        } else {
            literal += char('1' + random() % 9);
            for (int d = 1; d < integerDigits; ++d)
                literal += char('0' + random() % 10);
        }
        literal += '.';
        const int fractionDigits = 1 + int(random() % (random() % 2 ? 6 : 22));
        const int zeros = integerDigits == 0 ? int(random() % 6) : 0;
        for (int d = 0; d < fractionDigits; ++d)
            literal += d < zeros ? '0' : char('0' + random() % 10);
        const QByteArray fast = shortDecimal(literal);
        if (fast.isEmpty())
            continue;
        ++taken;
        QCOMPARE(fast, reference(literal));
    }
    // The fast route carries most of these (the rest: too many digits, too small, integral).
    QVERIFY2(taken > kCount / 3, qPrintable(QString::number(taken)));
}

void tst_JsonBodyNumbers::bodiesMatchParseThenConvert()
{
    std::mt19937_64 random(7);
    for (int round = 0; round < 200; ++round) {
        QByteArray body = "{\"n\": [";
        for (int i = 0; i < 50; ++i) {
            if (i)
                body += ", ";
            body += QByteArray::number(qint64(random() % 2'000'000) - 1'000'000) + '.'
                  + QByteArray::number(random() % 1000).rightJustified(int(1 + random() % 4), '0');
        }
        body += "]}";
        const Result<QByteArray> direct = jsonBodyToXml(body, QStringLiteral("root"));
        const Result<QJsonValue> parsed = parseJsonBody(body, 64);
        QVERIFY(direct.ok() && parsed.ok());
        QCOMPARE(*direct, *jsonToXml(*parsed, QStringLiteral("root")));
    }
}

QTEST_APPLESS_MAIN(tst_JsonBodyNumbers)
#include "tst_jsonbodynumbers.moc"
