// Halo's fill button on Angel One's own SmartAPI pages (login and enable-TOTP).
//
// It puts a small "Halo" button beside each one-time-code field. Only a real click on it asks
// Halo's worker for the current code, and the six digits are all it ever gets back: never a
// secret. The worker answers only this message, and only when it comes from Angel's hosts.

(() => {
  const MARK = 'data-halo-fill';
  const OTP_HINT = /(^|[^a-z])(t?otp|one.?time|2fa|mfa|authenticator)([^a-z]|$)/i;
  const CLIENT_HINT = /client.?(id|code)|user.?id/i;

  function orphaned() {
    return typeof chrome === 'undefined' || !chrome.runtime || !chrome.runtime.id;
  }

  function describe(input) {
    return [input.name, input.id, input.placeholder, input.getAttribute('aria-label'),
      input.getAttribute('autocomplete')].filter(Boolean).join(' ');
  }

  function isOtpField(input) {
    if (input.type === 'hidden' || input.hasAttribute(MARK)) return false;
    if (input.getAttribute('autocomplete') === 'one-time-code') return true;
    return OTP_HINT.test(describe(input));
  }

  // The client code typed on the page, so Halo picks the matching account.
  function clientCode() {
    for (const input of document.querySelectorAll('input')) {
      if (!isOtpField(input) && CLIENT_HINT.test(describe(input)) && input.value.trim()) {
        return input.value.trim();
      }
    }
    return null;
  }

  // Pages built with React track the value themselves: set it the way typing does.
  function typeInto(input, code) {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    setter.call(input, code);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  function addButton(input) {
    input.setAttribute(MARK, '');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Halo';
    button.title = 'Fill the code from Halo';
    button.setAttribute('aria-label', 'Fill the code from Halo');
    button.setAttribute(MARK, 'button');
    button.style.cssText =
      'margin-left:6px;padding:2px 8px;font:600 12px system-ui,sans-serif;color:#fff;' +
      'background:#1f4bb8;border:0;border-radius:6px;cursor:pointer;vertical-align:middle;';
    button.addEventListener('click', async (event) => {
      // A click the page's own script made is not the user's: ignore it.
      if (!event.isTrusted || orphaned()) return;
      event.preventDefault();
      button.disabled = true;
      try {
        const reply = await chrome.runtime.sendMessage({
          type: 'fill_code', client_code: clientCode(),
        });
        if (reply && reply.ok && reply.data && /^\d{6,8}$/.test(reply.data.code)) {
          typeInto(input, reply.data.code);
          button.title = 'Filled from Halo';
        } else {
          button.title = (reply && reply.error) || 'Halo did not answer.';
          button.textContent = 'Halo: not filled';
        }
      } catch (error) {
        button.title = 'Halo was reloaded: reload this page.';
      } finally {
        button.disabled = false;
      }
    });
    input.insertAdjacentElement('afterend', button);
  }

  function scan() {
    if (orphaned()) {
      observer.disconnect();
      return;
    }
    for (const input of document.querySelectorAll('input')) {
      if (isOtpField(input)) addButton(input);
    }
  }

  // Angel's pages are single-page apps: the OTP field appears after a step, so keep looking.
  let timer = 0;
  const observer = new MutationObserver(() => {
    if (!timer) timer = setTimeout(() => { timer = 0; scan(); }, 200);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  scan();
})();
