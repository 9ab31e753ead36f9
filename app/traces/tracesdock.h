// TracesDock: the embedded gateway's recent requests (fed by GatewayEngine::traceBatch) in a
// filterable, searchable table; the selected one as a waterfall of its spans, its headers
// (credentials redacted by the core) and captured bodies (secrets redacted, tracemessage.h),
// "Explain" for why it was answered so, and "Replay" of a captured request against the current
// configuration, compared with what was recorded.
#pragma once

#include "tracetablemodel.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTabWidget;
class QTableView;
class QToolButton;

namespace Gatehouse {

class GatewayEngine;
class ReplayCompareView;
class TraceReplayer;
class TraceWaterfall;

class TracesDock : public QWidget
{
    Q_OBJECT
public:
    explicit TracesDock(QWidget *parent = nullptr);

    void setEngine(GatewayEngine *engine);
    TraceTableModel *model() const { return m_model; }
    TraceFilterModel *filterModel() const { return m_filter; }

    // Selects the request at `row` of the filtered table and shows its details.
    void selectRow(int row);
    void setPaused(bool paused);   // new records are dropped while paused
    bool isPaused() const { return m_paused; }

    QTableView *table() const { return m_table; }
    QLineEdit *searchEdit() const { return m_search; }
    QComboBox *statusBox() const { return m_status; }
    QComboBox *apiBox() const { return m_api; }
    QTabWidget *detailTabs() const { return m_details; }
    TraceWaterfall *waterfall() const { return m_waterfall; }
    QPlainTextEdit *headersView() const { return m_headers; }
    QLabel *explainLabel() const { return m_explain; }
    QToolButton *replayButton() const { return m_replayButton; }
    ReplayCompareView *compareView() const { return m_compare; }
    TraceReplayer *replayer() const { return m_replayer; }
    QLabel *captureIndicator() const { return m_captureState; }

    // Resends the selected request (Replay) and shows the comparison in the Replay tab; a request
    // that cannot be resent faithfully is refused there with the reason.
    void replayCurrent();

private:
    void showCurrent();
    void showExplanation(const TraceRecord &record);
    void rebuildApiBox();
    void updateCaptureState();

    TraceTableModel *m_model;
    TraceFilterModel *m_filter;
    GatewayEngine *m_engine = nullptr;
    QLineEdit *m_search;
    QComboBox *m_status;
    QComboBox *m_api;
    QToolButton *m_pause;
    QLabel *m_count;
    QTableView *m_table;
    QTabWidget *m_details;
    TraceWaterfall *m_waterfall;
    QPlainTextEdit *m_headers;
    QLabel *m_explain;
    QToolButton *m_replayButton;
    QLabel *m_captureState;
    ReplayCompareView *m_compare;
    QWidget *m_compareTab = nullptr;   // the Replay tab: m_compare in a scroll area
    TraceReplayer *m_replayer;
    TraceRecord m_replayed;   // the request being replayed (its capture, for the comparison)
    bool m_paused = false;
};

} // namespace Gatehouse
