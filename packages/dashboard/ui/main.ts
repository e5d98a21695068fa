document.body.textContent = 'Nucleon';
