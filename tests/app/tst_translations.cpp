// Translations: translations/*.ts are complete (nothing unfinished or obsolete), every translation
// keeps its source's placeholders, accelerators and HTML tags, lupdate finds no workbench string the
// German file lacks, and the main window comes up German once the German translator is installed.
#include "language.h"
#include "mainwindow.h"
#include "settingsdialog.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QKeySequence>
#include <QLibraryInfo>
#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

#include <algorithm>

using namespace Gatehouse;

namespace {

struct TsMessage
{
    QString context;
    QString source;
    QStringList translations;   // one per numerus form, or one
    QString type;               // the translation's type attribute: "", "unfinished", "obsolete", "vanished"
    bool numerus = false;
};

struct TsFile
{
    QString language;
    QList<TsMessage> messages;
    QString error;
};

TsFile readTs(const QString &path)
{
    TsFile out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return out;
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == u"TS") {
                out.language = xml.attributes().value(QStringLiteral("language")).toString();
            } else if (name == u"name") {
                context = xml.readElementText();
            } else if (name == u"message") {
                message = TsMessage{context, {}, {}, {}, xml.attributes().value(QStringLiteral("numerus")) == u"yes"};
            } else if (name == u"source") {
                message.source = xml.readElementText();
            } else if (name == u"translation") {
                message.type = xml.attributes().value(QStringLiteral("type")).toString();
                if (!message.numerus)
                    message.translations.append(xml.readElementText());
            } else if (name == u"numerusform") {
                message.translations.append(xml.readElementText());
            }
        } else if (xml.isEndElement() && xml.name() == u"message") {
            out.messages.append(message);
        }
    }
    if (xml.hasError())
        out.error = QStringLiteral("%1:%2: %3").arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return out;
}

QString tsPath(const QString &language)
{
    return QStringLiteral(GATEHOUSE_SOURCE_DIR "/translations/gatehouse_%1.ts").arg(language);
}

// %1..%99 and %n, sorted: the order may change in a translation, the set may not.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%(\\d{1,2}|n)"));
    QStringList out;
    for (auto it = re.globalMatch(text); it.hasNext();)
        out.append(it.next().captured(0));
    std::sort(out.begin(), out.end());
    return out;
}

// Tags with their attributes, sorted (German may reorder a sentence around <code>).
QStringList htmlTags(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("</?[a-zA-Z][a-zA-Z0-9]*(\\s[^<>]*)?/?>"));
    QStringList out;
    for (auto it = re.globalMatch(text); it.hasNext();)
        out.append(it.next().captured(0));
    std::sort(out.begin(), out.end());
    return out;
}

// Mnemonics: one '&' before a character that is not another '&' ("&&" is a literal ampersand).
int accelerators(const QString &text)
{
    int n = 0;
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i] == u'&') {
            if (text[i + 1] != u'&')
                ++n;
            ++i;
        }
    }
    return n;
}

QString lupdateBinary()
{
    const QString qtBin = QLibraryInfo::path(QLibraryInfo::BinariesPath) + QStringLiteral("/lupdate");
    if (QFile::exists(qtBin))
        return qtBin;
    return QStandardPaths::findExecutable(QStringLiteral("lupdate6"));
}

void removeTranslators()
{
    for (QTranslator *t : qApp->findChildren<QTranslator *>(Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(t);
        delete t;
    }
}

} // namespace

class tst_Translations : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void tsFilesAreComplete_data();
    void tsFilesAreComplete();
    void translationsKeepPlaceholdersAcceleratorsAndHtml_data();
    void translationsKeepPlaceholdersAcceleratorsAndHtml();
    void lupdateFindsNoStringMissingFromTheGermanFile();
    void resolveLanguage_data();
    void resolveLanguage();
    void settingsDialogSavesTheLanguageForTheNextStart();
    void mainWindowShowsTheChosenLanguage_data();
    void mainWindowShowsTheChosenLanguage();
    void cleanup();
};

void tst_Translations::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("Gatehouse"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_translations"));
    QSettings().clear();
}

void tst_Translations::cleanup()
{
    removeTranslators();
    QSettings().clear();
}

void tst_Translations::tsFilesAreComplete_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("German translates every message") << QStringLiteral("de");
    QTest::newRow("English repeats the sources and spells out every plural") << QStringLiteral("en");
}

void tst_Translations::tsFilesAreComplete()
{
    QFETCH(QString, language);
    const TsFile ts = readTs(tsPath(language));
    QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
    QVERIFY(ts.language.startsWith(language));
    QVERIFY(!ts.messages.isEmpty());
    QStringList bad;
    for (const TsMessage &m : ts.messages) {
        if (!m.type.isEmpty())
            bad.append(QStringLiteral("%1 [%2]: %3").arg(m.context, m.type, m.source));
        else if (m.translations.isEmpty()
                 || std::any_of(m.translations.cbegin(), m.translations.cend(),
                                [](const QString &t) { return t.isEmpty(); }))
            bad.append(QStringLiteral("%1: empty translation: %2").arg(m.context, m.source));
        else if (m.numerus && m.translations.size() != 2)   // German and English: one, other
            bad.append(QStringLiteral("%1: %2 plural forms: %3").arg(m.context).arg(m.translations.size()).arg(m.source));
    }
    QVERIFY2(bad.isEmpty(), qPrintable(bad.join(u'\n')));
}

void tst_Translations::translationsKeepPlaceholdersAcceleratorsAndHtml_data()
{
    QTest::addColumn<QString>("language");
    QTest::newRow("German keeps what the sources have") << QStringLiteral("de");
    QTest::newRow("English keeps what the sources have") << QStringLiteral("en");
}

void tst_Translations::translationsKeepPlaceholdersAcceleratorsAndHtml()
{
    QFETCH(QString, language);
    const TsFile ts = readTs(tsPath(language));
    QVERIFY2(ts.error.isEmpty(), qPrintable(ts.error));
    QStringList bad;
    for (const TsMessage &m : ts.messages) {
        for (const QString &t : m.translations) {
            QStringList why;
            if (placeholders(t) != placeholders(m.source)) {
                // A plural's singular may spell "%n" out; every other placeholder must stay.
                QStringList source = placeholders(m.source), translated = placeholders(t);
                source.removeAll(QStringLiteral("%n"));
                translated.removeAll(QStringLiteral("%n"));
                if (!m.numerus || source != translated)
                    why.append(QStringLiteral("placeholders %1 became %2")
                                   .arg(placeholders(m.source).join(u' '), placeholders(t).join(u' ')));
            }
            if (accelerators(t) != accelerators(m.source))
                why.append(QStringLiteral("%1 accelerator(s) became %2").arg(accelerators(m.source)).arg(accelerators(t)));
            if (htmlTags(t) != htmlTags(m.source))
                why.append(QStringLiteral("HTML tags differ"));
            if (t.count(u'\n') != m.source.count(u'\n'))
                why.append(QStringLiteral("line breaks differ"));
            if (!why.isEmpty())
                bad.append(QStringLiteral("%1: \"%2\" → \"%3\": %4").arg(m.context, m.source, t, why.join(QStringLiteral("; "))));
        }
    }
    QVERIFY2(bad.isEmpty(), qPrintable(bad.join(u'\n')));
}

void tst_Translations::lupdateFindsNoStringMissingFromTheGermanFile()
{
    const QString lupdate = lupdateBinary();
    if (lupdate.isEmpty())
        QSKIP("Qt 6's lupdate is not installed (Debian: qt6-l10n-tools)");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fresh = dir.filePath(QStringLiteral("fresh_de.ts"));
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(lupdate, {QStringLiteral(GATEHOUSE_SOURCE_DIR "/app"), QStringLiteral(GATEHOUSE_SOURCE_DIR "/editors"),
                      QStringLiteral("-extensions"), QStringLiteral("cpp,h"), QStringLiteral("-locations"),
                      QStringLiteral("none"), QStringLiteral("-silent"), QStringLiteral("-ts"), fresh});
    QVERIFY2(p.waitForFinished(120'000), qPrintable(p.errorString()));
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, p.readAll().constData());

    const TsFile scanned = readTs(fresh);
    QVERIFY2(scanned.error.isEmpty(), qPrintable(scanned.error));
    QVERIFY(!scanned.messages.isEmpty());
    const TsFile german = readTs(tsPath(QStringLiteral("de")));
    QVERIFY2(german.error.isEmpty(), qPrintable(german.error));
    auto keys = [](const TsFile &ts) {
        QSet<QString> out;
        for (const TsMessage &m : ts.messages)
            out.insert(m.context + QStringLiteral(" | ") + m.source);
        return out;
    };
    const QSet<QString> inSources = keys(scanned), inGerman = keys(german);
    QStringList missing = (inSources - inGerman).values(), stale = (inGerman - inSources).values();
    missing.sort();
    stale.sort();
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("not in gatehouse_de.ts (run the gatehouse_lupdate "
                                                          "target):\n") + missing.join(u'\n')));
    QVERIFY2(stale.isEmpty(), qPrintable(QStringLiteral("in gatehouse_de.ts but no longer in the sources:\n")
                                         + stale.join(u'\n')));
}

void tst_Translations::resolveLanguage_data()
{
    QTest::addColumn<QString>("saved");
    QTest::addColumn<QString>("requested");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("refused");
    QTest::newRow("--lang de picks German") << QString() << QStringLiteral("de") << QStringLiteral("de") << false;
    QTest::newRow("--lang de_AT.UTF-8 picks German") << QString() << QStringLiteral("de_AT.UTF-8")
                                                    << QStringLiteral("de") << false;
    QTest::newRow("--lang en wins over a saved German") << QStringLiteral("de") << QStringLiteral("en")
                                                       << QStringLiteral("en") << false;
    QTest::newRow("a saved German applies without --lang") << QStringLiteral("de") << QString()
                                                          << QStringLiteral("de") << false;
    QTest::newRow("a saved unknown language reads as System") << QStringLiteral("tlh") << QString()
                                                             << QStringLiteral("system") << false;
    QTest::newRow("an unknown --lang is refused, naming the known ones")
        << QString() << QStringLiteral("klingon") << QString() << true;
}

void tst_Translations::resolveLanguage()
{
    QFETCH(QString, saved);
    QFETCH(QString, requested);
    QFETCH(QString, expected);
    QFETCH(bool, refused);
    if (!saved.isEmpty())
        QSettings().setValue(QStringLiteral("appearance/language"), saved);
    if (expected == u"system") {   // what the system's UI languages give, as if nothing were saved
        QCOMPARE(Gatehouse::savedLanguage(), QString());
        QSettings().remove(QStringLiteral("appearance/language"));
        expected = Gatehouse::resolveLanguage(QString());
        QSettings().setValue(QStringLiteral("appearance/language"), saved);
    }
    QString error;
    QCOMPARE(Gatehouse::resolveLanguage(requested, &error), expected);
    QCOMPARE(!error.isEmpty(), refused);
    if (refused)
        QVERIFY2(error.contains(QStringLiteral("en, de")), qPrintable(error));
}

void tst_Translations::settingsDialogSavesTheLanguageForTheNextStart()
{
    SettingsDialog dialog(WorkbenchSettings::load());
    QComboBox *box = dialog.languageBox();
    QCOMPARE(box->currentData().toString(), QString());   // nothing saved: System
    QCOMPARE(box->count(), 3);

    box->setCurrentIndex(box->findData(QStringLiteral("de")));
    QCOMPARE(box->currentText(), QStringLiteral("Deutsch"));
    dialog.apply();
    QCOMPARE(Gatehouse::savedLanguage(), QStringLiteral("de"));
    QCOMPARE(Gatehouse::resolveLanguage(QString()), QStringLiteral("de"));
    QCOMPARE(SettingsDialog(WorkbenchSettings::load()).languageBox()->currentText(), QStringLiteral("Deutsch"));

    box->setCurrentIndex(box->findData(QString()));
    dialog.apply();
    QVERIFY(!QSettings().contains(QStringLiteral("appearance/language")));
}

void tst_Translations::mainWindowShowsTheChosenLanguage_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QStringList>("menus");
    QTest::addColumn<QString>("problems");   // the plural in the status bar, from the .qm
    QTest::addColumn<QString>("qtSave");     // Qt's own words, from qtbase_<lang>.qm when installed
    QTest::newRow("German shows &Datei, &Bearbeiten and German plurals")
        << QStringLiteral("de")
        << QStringList{QStringLiteral("&Datei"), QStringLiteral("&Bearbeiten"), QStringLiteral("&Gateway"),
                       QStringLiteral("&Ansicht"), QStringLiteral("&Hilfe")}
        << QStringLiteral("0 Fehler, 0 Warnungen") << QStringLiteral("Strg+S");
    QTest::newRow("English shows &File and English plurals")
        << QStringLiteral("en")
        << QStringList{QStringLiteral("&File"), QStringLiteral("&Edit"), QStringLiteral("&Gateway"),
                       QStringLiteral("&View"), QStringLiteral("&Help")}
        << QStringLiteral("0 errors, 0 warnings") << QStringLiteral("Ctrl+S");
}

void tst_Translations::mainWindowShowsTheChosenLanguage()
{
    QFETCH(QString, language);
    QFETCH(QStringList, menus);
    QFETCH(QString, problems);
    QFETCH(QString, qtSave);
    QVERIFY(Gatehouse::installTranslators(language));
    MainWindow window;
    QStringList titles;
    for (QAction *a : window.menuBar()->actions())
        titles.append(a->text());
    QCOMPARE(titles, menus);
    QCOMPARE(QCoreApplication::translate("Gatehouse::MainWindow", "%n error(s)", nullptr, 0)
                 + QStringLiteral(", ")
                 + QCoreApplication::translate("Gatehouse::MainWindow", "%n warning(s)", nullptr, 0),
             problems);
    const bool qtTranslated = QFile::exists(QLibraryInfo::path(QLibraryInfo::TranslationsPath)
                                            + QStringLiteral("/qtbase_%1.qm").arg(language));
    if (language == u"en" || qtTranslated)   // Debian: qt6-translations-l10n
        QCOMPARE(QKeySequence(QKeySequence::Save).toString(QKeySequence::NativeText), qtSave);
    else
        qInfo("qtbase_%s.qm is not installed: Qt's own strings stay English", qPrintable(language));
}

QTEST_MAIN(tst_Translations)
#include "tst_translations.moc"
