/** Shown when the server refuses the page for want of its token. */
export function TokenNotice() {
	return (
		<div className="overlay" role="alertdialog" aria-label="token needed">
			<div className="prompt-card">
				<h1>This kchat server needs a token</h1>
				<p>
					Open the address you were given with <code>#token=…</code> at its end (the server's <code>KCHAT_SERVE_TOKEN</code>). The token stays in this
					tab and is never put in an address the server sees.
				</p>
			</div>
		</div>
	);
}
