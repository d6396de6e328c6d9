/* Tribe's Web Chat page: get a token from the local Direct Line channel, then render Web Chat. */
(function () {
  'use strict';

  var USER_KEY = 'tribe.webchat.userId';
  var USER_ID_PATTERN = /^u_[0-9a-f]{32}$/;

  /** A random id for this browser; never a name. ("dl_" ids are reserved by Web Chat.) */
  function randomUserId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes); // works on plain http too, unlike randomUUID
    return 'u_' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  /** The same id on every visit from this browser, so Tribe remembers where you got to. */
  function stableUserId() {
    try {
      var stored = window.localStorage.getItem(USER_KEY);
      if (stored && USER_ID_PATTERN.test(stored)) return stored;
      var created = randomUserId();
      window.localStorage.setItem(USER_KEY, created);
      return created;
    } catch (storageBlocked) {
      return randomUserId();
    }
  }

  var styleOptions = {
    accent: '#9c3d1c',
    backgroundColor: '#fff8f1',
    subtle: '#6b5040',
    primaryFont: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    paddingRegular: 10,
    bubbleBackground: '#ffffff',
    bubbleBorderColor: '#e9d3c0',
    bubbleBorderRadius: 16,
    bubbleBorderWidth: 1,
    bubbleTextColor: '#2b1a10',
    bubbleFromUserBackground: '#9c3d1c',
    bubbleFromUserBorderColor: '#9c3d1c',
    bubbleFromUserBorderRadius: 16,
    bubbleFromUserTextColor: '#ffffff',
    bubbleMinHeight: 44,
    bubbleMinWidth: 120,
    bubbleMaxWidth: 560,
    timestampColor: '#6b5040',
    sendBoxBackground: '#ffffff',
    sendBoxTextColor: '#2b1a10',
    sendBoxPlaceholderColor: '#6b5040',
    sendBoxHeight: 56,
    sendBoxBorderTop: 'solid 2px #e9d3c0',
    sendBoxButtonColor: '#9c3d1c',
    sendBoxButtonColorOnHover: '#7a2e12',
    sendBoxButtonColorOnFocus: '#7a2e12',
    hideUploadButton: true,
    suggestedActionLayout: 'flow',
    suggestedActionHeight: 48,
    suggestedActionBorderRadius: 24,
    suggestedActionBorderColor: '#9c3d1c',
    suggestedActionTextColor: '#7a2e12',
    suggestedActionBackgroundColor: '#ffffff',
    suggestedActionBackgroundColorOnHover: '#f6dcc4',
    transcriptActivityVisualKeyboardIndicatorColor: '#7a2e12',
    transcriptVisualKeyboardIndicatorColor: '#7a2e12',
    // Adaptive Cards: a tapped button in Tribe's terracotta (not the default blue), and the
    // statuses under "Update" on a warm cream panel. Sizes and shapes are in tribe-chat.css.
    cardPushButtonBackgroundColor: '#9c3d1c',
    cardPushButtonTextColor: '#ffffff',
    cardEmphasisBackgroundColor: '#fdf1e6'
  };

  var status = document.getElementById('status');
  var statusText = document.getElementById('status-text');
  var retry = document.getElementById('retry');

  function showStatus(text, canRetry) {
    statusText.textContent = text;
    retry.hidden = !canRetry;
    status.hidden = false;
  }

  function start() {
    var userID = stableUserId();
    showStatus('Connecting you to Tribe…', false);
    return fetch('/v3/directline/tokens/generate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: { id: userID } })
    })
      .then(function (response) {
        if (!response.ok) throw new Error('token request answered ' + response.status);
        return response.json();
      })
      .then(function (body) {
        var directLine = window.WebChat.createDirectLine({
          token: body.token,
          domain: window.location.origin + '/v3/directline'
        });
        window.WebChat.renderWebChat(
          { directLine: directLine, userID: userID, locale: 'en-GB', styleOptions: styleOptions },
          document.getElementById('webchat')
        );
        status.hidden = true;
      })
      .catch(function () {
        showStatus("Tribe can't connect right now. Please check your connection and try again.", true);
      });
  }

  retry.addEventListener('click', start);
  if (!window.WebChat) {
    showStatus("The chat didn't load. Please refresh the page.", false);
    return;
  }
  start();
})();
