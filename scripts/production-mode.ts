// Imported right after the Node check by entry points that never pass a mode: unless the shell
// says otherwise, they run as production. React's server renderer (the branded emails) picks
// its development build when NODE_ENV is unset, which checks every element it renders and
// made each email several times dearer to render.
process.env.NODE_ENV ??= "production";
