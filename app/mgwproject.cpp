// Open MGW Project: ask where the imported project goes, import it with the core importer and say
// what could not be carried over. MGW's own folder is never written to.
#include "mgwproject.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>

namespace Gatehouse {

namespace {

// A class-less context lupdate files under the same name the lookup uses.
struct MgwText
{
    Q_DECLARE_TR_FUNCTIONS(Gatehouse::MgwProject)
};

QString htmlList(const QStringList &items)
{
    QString html = QStringLiteral("<ul>");
    for (const QString &item : items)
        html += QStringLiteral("<li>%1</li>").arg(item.toHtmlEscaped());
    return html + QStringLiteral("</ul>");
}

QString askForTarget(QWidget *parent, const MgwLayout &layout, const QString &suggested)
{
    QMessageBox box(QMessageBox::Question, MgwText::tr("Open MGW Project"),
                    MgwText::tr("<p>%1 is a WSO2 API Microgateway 3.x project. Gatehouse imports it into a new "
                       "project folder and leaves MGW's files as they are:</p><p><b>%2</b></p>"
                       "<p>A report of what cannot be carried over is written there as IMPORT-REPORT.md.</p>")
                        .arg(QDir::toNativeSeparators(layout.dir).toHtmlEscaped(),
                             QDir::toNativeSeparators(suggested).toHtmlEscaped()),
                    QMessageBox::Cancel, parent);
    QPushButton *import = box.addButton(MgwText::tr("Import"), QMessageBox::AcceptRole);
    QPushButton *choose = box.addButton(MgwText::tr("Choose Folder…"), QMessageBox::ActionRole);
    box.setDefaultButton(import);
    box.exec();
    if (box.clickedButton() == import)
        return suggested;
    if (box.clickedButton() == choose)
        return QFileDialog::getExistingDirectory(parent, MgwText::tr("Folder for the Imported Project (new or empty)"),
                                                 QFileInfo(layout.dir).absolutePath());
    return {};
}

void showReportBox(QWidget *parent, const MgwImportResult &result)
{
    QStringList left;
    for (const MgwImportNote &n : result.notCarried)
        left.append(n.what + QStringLiteral(": ") + n.why);
    QString text = MgwText::tr("<p>Imported into %1.</p><p>Carried over:</p>")
                       .arg(QDir::toNativeSeparators(result.outDir).toHtmlEscaped())
                   + htmlList(result.carried);
    if (!left.isEmpty())
        text += MgwText::tr("<p>Not carried over:</p>") + htmlList(left);
    if (!result.check.isEmpty())
        text += MgwText::tr("<p>The imported project has %1 and %2: see the Problems dock.</p>")
                    .arg(MgwText::tr("%n error(s)", nullptr, result.check.errorCount()),
                         MgwText::tr("%n warning(s)", nullptr, result.check.warningCount()));
    QMessageBox box(QMessageBox::Information, MgwText::tr("Open MGW Project"), text, QMessageBox::Ok, parent);
    box.setDetailedText(result.reportMarkdown());
    box.exec();
}

} // namespace

QString suggestedMgwImportTarget(const MgwLayout &layout)
{
    const QString base = layout.dir + QStringLiteral("-gatehouse");
    QString target = base;
    for (int i = 2; QFileInfo::exists(target) && !QDir(target).isEmpty(); ++i)
        target = base + u'-' + QString::number(i);
    return target;
}

QString importMgwProjectInteractively(QWidget *parent, const QString &dir, const MgwImportUi &ui)
{
    const MgwLayout layout = detectMgwLayout(dir);
    auto error = [&](const QString &message) {
        if (ui.showError)
            ui.showError(message);
        else
            QMessageBox::warning(parent, MgwText::tr("Open MGW Project"), message);
        return QString();
    };
    if (layout.hasGatehouseYaml)
        return layout.dir;   // imported (or converted by an earlier version) already
    if (!layout.isMgw()) {
        return error(MgwText::tr("%1 does not look like a WSO2 Microgateway 3.x project: it has no OpenAPI files "
                        "under api_definitions/.").arg(QDir::toNativeSeparators(layout.dir)));
    }
    const QString suggested = suggestedMgwImportTarget(layout);
    const QString target = ui.chooseTarget ? ui.chooseTarget(layout, suggested) : askForTarget(parent, layout, suggested);
    if (target.isEmpty())
        return {};
    MgwImportOptions options;
    options.mgwDir = layout.dir;
    options.outDir = target;
    Diagnostics diagnostics;
    const Result<MgwImportResult> result = importMgwProject(options, diagnostics);
    if (!result) {
        diagnostics.sort();
        QString message = result.error().message;
        if (!diagnostics.isEmpty())
            message += u'\n' + diagnostics.toString();
        return error(message);
    }
    if (ui.showReport)
        ui.showReport(*result);
    else
        showReportBox(parent, *result);
    return result->outDir;
}

} // namespace Gatehouse
