// TradingView: a chart's symbol header (the URL can lag behind it), or a symbol page's URL.
haloReportPage('tradingview', '#header-toolbar-symbol-search');
